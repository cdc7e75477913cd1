@ip link set lo up
@ip link add eth0 type veth peer name eth0p
@ip addr add 10.0.0.5/24 dev eth0
@ip link set eth0 up
@ip link set eth0p up
route add -net foo netmask 255.255.0.0 dev eth0
route add -host bar gw 10.0.0.1
route add 10.1.1.1 gw 10.0.0.1
route add -net 10.2.0.0/16 netmask 255.255.0.0 gw 10.0.0.1
route add -net 10.3.0.0/33 gw 10.0.0.1
route add -net 10.3.0.0/32 gw 10.0.0.1
route add -net 10.4.0.0/0x10 gw 10.0.0.1
route add -net 10.5.0.0 netmask 255.0.255.0 gw 10.0.0.1
route add -host 10.6.0.1 netmask 255.255.0.0 gw 10.0.0.1
route add -net 10.7.0.0 netmask 255.255.0.0 gw 10.0.0.0
route add -net 10.8.0.0 netmask 255.255.0.0 gw 10.0.0.2
route add -net 10.9.0.0 netmask 255.255.0.0 dev eth0 metric 5
route add -net 10.10.0.0 netmask 255.255.0.0 reject
route add -net 10.11.0.0 netmask 255.255.0.0 gw 10.0.0.1 eth0
route add -net 10.12.0.0 netmask 255.255.0.0 gw 10.0.0.1 eth0 extra
route add -net 10.13.0.0 netmask 255.255.0.0 gw 10.0.0.1 gw 10.0.0.2
route add -net 10.14.0.0 netmask 255.255.0.0 gw 127.0.0.1
route add -net 10.15.0.0 netmask 255.255.0.0 dev eth0
route add -net 10.16.0.0 netmask 255.255.0.0 mss 10 dev eth0
route add
route del
route flush
route foo
route add -net
route add -net 10.17.0.0 netmask
route add -net 10.17.0.0 metric x dev eth0
route -n
route
route -e
route -ee
route -n -ee
netstat -rn
netstat -rne
netstat -rnee
route del -net 10.8.0.0 netmask 255.255.0.0
route -n
route del -net 10.8.0.0 netmask 255.255.0.0 gw 10.0.0.9
route del -net 10.9.0.0 netmask 255.255.0.0 metric 4
route del -net 10.9.0.0 netmask 255.255.0.0 metric 5
route del -net 10.10.0.0 netmask 255.255.0.0
route del -net 10.10.0.0 netmask 255.255.0.0 reject
route del 10.1.1.1
route -n
route -C
route -A foo
route -4 -n
route -F -n
route -v -n
route add -net 10.20.0.0 netmask 255.255.0.0
route add -net 10.21.0.0 netmask 255.255.0.0 dev nosuch
route add -host 10.22.0.1 dev eth0
route -n
route del -host 10.22.0.1
route del -net 10.4.0.0/16
route del -net 10.7.0.0 netmask 255.255.0.0 dev eth0
route add default gw 10.0.0.1 metric 100
route add default gw 10.0.0.254
route -n
route del default
route -n
route del default
route del default
