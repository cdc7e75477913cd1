@ip link set lo up
@ip netns add node2
@ip link add eth0 type veth peer name eth0 netns node2
@ip addr add 192.168.56.10/24 dev eth0
@ip link set eth0 up
@ip -n node2 addr add 192.168.56.11/24 dev eth0
@ip -n node2 link set eth0 up
@ip -n node2 link set lo up
@daemon kube-apiserver tcp46:[::]:6443
@daemon kubelet -n node2 tcp46:[::]:10250 conn:192.168.56.11:50000-192.168.56.10:6443
@daemon etcd tcp:192.168.56.10:2379 tcp:127.0.0.1:2379
@daemon etcdctl conn:192.168.56.10:45000-192.168.56.10:2379
ss -tnp
ss -tanp
netstat -tnp
netstat -tanp
ip netns exec node2 ss -tnp
ip netns exec node2 netstat -tn
ss -tn state established '( dport = :6443 or sport = :6443 )'
ss -tan | grep -c ESTAB
netstat -an | grep ':6443'
netstat -ant | grep ESTABLISHED | wc -l
