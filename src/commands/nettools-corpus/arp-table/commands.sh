@ip link set lo up
@ip link add v-net-0 type bridge
@ip link set v-net-0 up
@ip addr add 192.168.15.1/24 dev v-net-0
@ip netns add red
@ip netns add blue
@ip link add veth-red type veth peer name veth-red-br
@ip link add veth-blue type veth peer name veth-blue-br
@ip link set veth-red netns red
@ip link set veth-blue netns blue
@ip link set veth-red-br master v-net-0
@ip link set veth-blue-br master v-net-0
@ip link set veth-red-br up
@ip link set veth-blue-br up
@ip -n red addr add 192.168.15.2/24 dev veth-red
@ip -n blue addr add 192.168.15.3/24 dev veth-blue
@ip -n red link set veth-red up
@ip -n blue link set veth-blue up
@ip route add 10.99.0.0/16 via 192.168.15.3
@printf '192.168.15.2\tred-host\n' >> /etc/hosts
@ip neigh replace 192.168.15.2 lladdr 02:00:00:00:00:02 dev v-net-0 nud reachable
@ip neigh replace 192.168.15.3 lladdr 02:00:00:00:00:03 dev v-net-0 nud stale
@ip neigh replace 192.168.15.4 dev v-net-0 nud failed
arp
arp -a
arp -e
arp -n
arp -an
arp 192.168.15.2
arp -a 192.168.15.3
arp red-host
arp -n 192.168.15.77
arp -a 192.168.15.77
arp -i v-net-0
arp -i nosuch
arp -n -v
arp -H ether -n
arp -H foo
arp -H loop
arp -A inet6
arp -s 192.168.15.60 aa:bb:cc:dd:ee:ff temp
arp -s 192.168.15.61 aa:bb:cc:dd:ee:f1
arp -s 192.168.15.62 aa:bb:cc:dd:ee:f2 -i v-net-0
arp -i v-net-0 -s 192.168.15.63 aa:bb:cc:dd:ee:f3
arp -s 10.99.0.5 aa:bb:cc:dd:ee:f4
arp -s 172.16.0.5 aa:bb:cc:dd:ee:f5
arp -s 192.168.15.64 zz:bb:cc:dd:ee:f5
arp -s 192.168.15.65
arp -s
arp -i nosuch -s 192.168.15.66 aa:bb:cc:dd:ee:f6
arp -n
ip neigh show nud permanent
arp -d 192.168.15.60
arp -d 192.168.15.61
arp -d 192.168.15.99
arp -d 10.99.0.5
arp -d 172.16.0.5
arp -d
arp -n
arp -V
arp -z
