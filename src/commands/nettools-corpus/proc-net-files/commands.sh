@ip link set lo up
@ip link add eth0 type veth peer name eth0p
@ip addr add 10.0.0.5/24 dev eth0
@ip link set eth0 up
@ip link set eth0p up
@ip route add default via 10.0.0.1
@ip route add 10.9.0.0/16 via 10.0.0.1 metric 50
@ip route add 10.9.9.9 dev eth0
@ip route add unreachable 10.66.0.0/16
@ip route add blackhole 10.67.0.0/16
@ip neigh replace 10.0.0.1 lladdr 02:00:00:00:00:01 dev eth0 nud reachable
@ip neigh replace 10.0.0.7 lladdr 02:00:00:00:00:07 dev eth0 nud permanent
@ip neigh replace 10.0.0.8 dev eth0 nud failed
@daemon web tcp:0.0.0.0:80 udp:0.0.0.0:5353
cat /proc/net/route
sort /proc/net/arp
grep eth0 /proc/net/route
grep -c eth0 /proc/net/arp
wc -l /proc/net/tcp
cut -c1-40 /proc/net/tcp | head -2
