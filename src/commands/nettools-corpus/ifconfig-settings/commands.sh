@ip link set lo up
@ip link add eth0 type veth peer name eth0p
@ip addr add 10.0.0.5/24 dev eth0
@ip addr add 10.0.0.6/24 dev eth0
@ip link set eth0 up
@ip link set eth0p up
@ip link add br0 type bridge
@ip link add veth-a type veth peer name veth-b
@ip link set veth-a master br0
@ip addr add 192.168.50.1/24 brd + dev br0
@ip link set br0 up
@ip link add dummyish type veth peer name dummyish2
@ip link set dummyish mtu 9000
@ip addr add 172.16.0.1/16 dev dummyish
ifconfig
ifconfig -a
ifconfig eth0
ifconfig nosuch
ifconfig -v eth0
ifconfig lo
ifconfig br0
ifconfig eth0 10.0.0.7 netmask 255.255.255.0
ifconfig eth0
ifconfig eth0 down
ifconfig eth0
ifconfig eth0 up
ifconfig dummyish up
ifconfig dummyish
ifconfig eth0:1 10.0.0.9
ifconfig
ifconfig eth0 mtu 1400
ifconfig eth0 mtu 70000
ifconfig eth0 hw ether 02:11:22:33:44:55
ifconfig eth0 | grep ether
ifconfig eth0 add fd00::1/64
ifconfig eth0 del fd00::1/64
ifconfig eth0 10.0.0.300
ifconfig eth0 foo
ifconfig --help
ifconfig -V
ifconfig eth0 0
ifconfig eth0
ifconfig veth-b
ifconfig eth0 broadcast 10.0.0.127
ifconfig eth0 txqueuelen 500
ifconfig eth0 pointopoint 10.0.0.99
ifconfig eth0
ifconfig eth0 netmask 255.255.0.0
ifconfig eth0 down
ifconfig -a | grep -A1 '^eth0'
ifconfig eth0:1 down
ifconfig | grep -c 'eth0:1'
ifconfig lo mtu 100
ifconfig veth-b name vb
ip link show vb
ifconfig -x
ifconfig eth0 224.0.0.5
