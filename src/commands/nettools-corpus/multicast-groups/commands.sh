@ip link set lo up
@ip link add eth0 type veth peer name eth0p
@ip addr add 10.0.0.5/24 dev eth0
@ip link set eth0 up
@ip link set eth0p up
@ip link add br0 type bridge
@ip link set br0 up
@ip link add d0 type veth peer name d1
@ip addr add 10.1.0.5/24 dev d0
netstat -g
netstat -gn
netstat -g -4
netstat -g -6 -n
