@ip link set lo up
@ip link add eth0 type veth peer name eth0p
@ip addr add 10.0.0.5/24 dev eth0
@ip link set eth0 up
@ip link set eth0p up
ifconfig eth0 promisc
ifconfig eth0 | head -1
ifconfig eth0 allmulti
ifconfig eth0 -arp
ifconfig eth0 | head -1
ip link show eth0 | head -1
ifconfig eth0 -promisc -allmulti arp
ifconfig eth0 | head -1
ifconfig eth0 -multicast
ifconfig eth0 | head -1
