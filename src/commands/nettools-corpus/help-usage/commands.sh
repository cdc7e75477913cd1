ss -h
ss --help | head -3
ss -V
ss --version
netstat -h
netstat --version
netstat -r -i
route -h
route --version
route -A inet -h
route -A inet6 -h
route -6 add default gw ::1
route -z
route -nee
arp -h
arp --help | tail -2
arp --version
ifconfig -h
ifconfig --version
ifconfig -version
ifconfig -?
ss -f foo
ss -A foo
ss -D
netstat -M
netstat --ax25
netstat -x
netstat -lx
netstat -ax
netstat -w
netstat -aw
netstat -U
netstat -S
netstat -g
