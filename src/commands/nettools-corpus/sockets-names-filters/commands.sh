@ip link set lo up
@ip netns add blue
@ip link add eth0 type veth peer name eth0 netns blue
@ip addr add 10.1.1.1/24 dev eth0
@ip link set eth0 up
@ip -n blue addr add 10.1.1.2/24 dev eth0
@ip -n blue link set eth0 up
@ip -n blue link set lo up
@daemon nginx tcp:0.0.0.0:80 tcp:127.0.0.1:8080 tcp6:[::]:80
@daemon named udp:127.0.0.1:53 udp:10.1.1.1:53 tcp:127.0.0.1:53 udp6:[::1]:53
@daemon redis-server tcp:127.0.0.1:6379 conn:127.0.0.1:40000-127.0.0.1:6379 conn:10.1.1.1:40002-127.0.0.1:80
@daemon postgres -n blue tcp:0.0.0.0:5432 tcp46:[::]:9090
netstat -tl
netstat -tln
netstat -ul
netstat -tulp
netstat -t
netstat -ta
netstat -tan
netstat -4 -tln
netstat -6 -tln
netstat -at --numeric-ports
netstat -at --numeric-hosts
netstat -tlnW
netstat -tuln -o
netstat -x
netstat -ax
netstat -lu
ss -tl
ss -tln
ss -ul
ss -uln
ss -tan
ss -ta
ss -4tln
ss -6tln
ss -tlpn
ss -tn state established
ss -tn state listening
ss -tan state all
ss -tan exclude listening
ss -tln sport = :80
ss -tln 'sport = :http'
ss -tan dport = :6379
ss -tan src 127.0.0.1
ss -tan dst 127.0.0.1:6379
ss -tln '( sport = :80 or sport = :8080 )'
ss -tlnH
ss -a -t -n
ss -n -t -l -p | grep nginx
ip netns exec blue ss -tln
ip netns exec blue netstat -tln
ip netns exec blue netstat -tl
ss -N blue -tln
ss -lun | cat
ss -tl -r
ss -x
ss -w
ss -tln state foo
ss -tln sport
netstat -z
netstat --tc
netstat -A foo
