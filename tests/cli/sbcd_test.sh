#!/usr/bin/env bash
# sbcd's skeleton as an admin meets it: --version, --help, --verify-config, a run that ends
# cleanly on SIGTERM, and a SIGHUP with a broken file that is refused.
set -u
sbcd=$1 conf=$2
here=$(cd "$(dirname "$0")" && pwd)
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; fi; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

out=$("$sbcd" --version); rc=$?
check "--version" '[ $rc -eq 0 ] && echo "$out" | grep -Eq "^sbcd \(Palisade SBC\) [0-9]+\.[0-9]+\.[0-9]+$"'
out=$("$sbcd" --help); rc=$?
check "--help lists --verify-config" '[ $rc -eq 0 ] && echo "$out" | grep -q -- "--verify-config FILE"'
out=$(echo "pw one" | "$sbcd" --hash-password); rc=$?
check "--hash-password prints a SHA-512 crypt hash" '[ $rc -eq 0 ] && [[ "$out" == \$6\$* ]] && [ ${#out} -gt 90 ]'
out2=$(echo "pw one" | "$sbcd" --hash-password)
check "with a fresh salt each time" '[ "$out" != "$out2" ]'
"$sbcd" --hash-password </dev/null 2>/dev/null; rc=$?
check "--hash-password without a password exits 1" '[ $rc -eq 1 ]'
"$sbcd" --bogus 2>/dev/null; rc=$?
check "unknown option exits 2" '[ $rc -eq 2 ]'

for f in "$conf"/sbc.cfg; do
  out=$("$sbcd" --verify-config "$f" 2>&1); rc=$?
  check "shipped $(basename "$f") verifies" '[ $rc -eq 0 ]'
done

printf 'system-config = {\n  hostname = "ok";\n  process-log-level = "chatty";\n};\n' > "$tmp/bad.cfg"
out=$("$sbcd" --verify-config "$tmp/bad.cfg" 2>&1); rc=$?
check "bad config exits 1" '[ $rc -eq 1 ]'
check "problem names file:line: element.attribute" \
  '[ "$out" = "$tmp/bad.cfg:3: system-config.process-log-level: must be one of debug, info, notice, warning, error" ]'

# The example's documentation addresses are not this machine's: the port is named, exit 1.
out=$("$sbcd" --config "$conf/sbc.cfg" 2>&1); rc=$?
check "unbindable sip-port exits 1" '[ $rc -eq 1 ]'
check "and names the port" 'echo "$out" | grep -q "cannot open sip-port 192.0.2.1:5060/UDP of realm access"'

# A phy-interface whose device cannot be had: the fast path names it and sbcd exits 1.
cat >"$tmp/nodev.cfg" <<'CFG'
media-manager = { state = true; };
phy-interface = ( { name = "access0"; device = "net_af_packet_x,iface=no-such-if"; } );
network-interface = ( { name = "access0"; ip-address = "10.99.0.1"; netmask = "255.255.255.0"; } );
CFG
out=$(timeout 30 "$sbcd" --config "$tmp/nodev.cfg" 2>&1); rc=$?
check "missing DPDK device exits 1" '[ $rc -eq 1 ]'
check "and names the device" 'echo "$out" | grep -q "error sbcd: cannot create device .net_af_packet_x,iface=no-such-if."'
sed 's/state = true;/state = true; worker-lcore = 127;/' "$tmp/nodev.cfg" >"$tmp/nocore.cfg"
out=$(timeout 30 "$sbcd" --config "$tmp/nocore.cfg" 2>&1); rc=$?
check "a worker core the machine lacks exits 1 and is named" '[ $rc -eq 1 ] && echo "$out" | grep -q "error sbcd: media-manager.worker-lcore 127: sbcd may not run on that core"'

# A configuration on loopback, on a port of its own.
port=$((20000 + RANDOM % 20000))
cat > "$tmp/run.cfg" <<CFG
system-config = { acli-socket = "$tmp/acli.sock"; };
network-interface = ( { name = "lo0"; ip-address = "127.0.0.1"; } );
realm-config = ( { identifier = "lab"; network-interfaces = ["lo0"]; } );
sip-interface = ( { realm-id = "lab"; sip-ports = ( { address = "127.0.0.1"; port = $port; },
                                                    { address = "127.0.0.1"; port = $port; transport-protocol = "TCP"; } ); } );
CFG
"$sbcd" --config "$tmp/run.cfg" 2>"$tmp/log" &
pid=$!
for _ in $(seq 50); do grep -q "started" "$tmp/log" && break; sleep 0.1; done
check "daemon starts" 'grep -q "started as" "$tmp/log"'
check "and listens" 'grep -q "listening on 127.0.0.1:$port/UDP in realm lab" "$tmp/log"'

printf 'OPTIONS sip:127.0.0.1 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKprobe1\nFrom: <sip:probe@127.0.0.1>;tag=1\nTo: <sip:127.0.0.1>\nCall-ID: probe-1\nCSeq: 1 OPTIONS\nMax-Forwards: 70\nContent-Length: 0\n\n' > "$tmp/options.sip"
out=$(python3 "$here/sip_probe.py" 127.0.0.1 "$port" "$tmp/options.sip")
check "OPTIONS to the SBC: 200" '[ "$out" = "SIP/2.0 200 OK" ]'
sed 's/CSeq: 1 OPTIONS/CSeq: 99999999999 OPTIONS/; s/probe1/probe2/' "$tmp/options.sip" > "$tmp/bad.sip"
out=$(python3 "$here/sip_probe.py" 127.0.0.1 "$port" "$tmp/bad.sip")
check "malformed request: 400 with the reason" '[ "$out" = "SIP/2.0 400 Bad Request (CSeq: number missing or above 2^32-1)" ]'
out=$(printf 'garbage\n\n' | python3 "$here/sip_probe.py" 127.0.0.1 "$port" -)
check "garbage: dropped" '[ "$out" = "no answer" ]'
# TCP: two requests in one write are framed apart; one without Content-Length loses framing.
sed 's/probe1/probe5/; s/UDP/TCP/' "$tmp/options.sip" > "$tmp/tcp.sip"
sed 's/probe1/probe6/; s/UDP/TCP/' "$tmp/options.sip" >> "$tmp/tcp.sip"
out=$(python3 "$here/sip_probe.py" --tcp 127.0.0.1 "$port" "$tmp/tcp.sip" | tr '\n' '|')
check "TCP: two pipelined OPTIONS, two 200s" '[ "$out" = "SIP/2.0 200 OK|SIP/2.0 200 OK|" ]'
grep -v Content-Length "$tmp/options.sip" | sed 's/probe1/probe7/; s/UDP/TCP/' > "$tmp/nocl.sip"
out=$(python3 "$here/sip_probe.py" --tcp 127.0.0.1 "$port" "$tmp/nocl.sip" | tr '\n' '|')
check "TCP without Content-Length: 400 and the connection closed" '[ "$out" = "SIP/2.0 400 Bad Request (Content-Length is required on stream transports)|closed|" ]'
check "and listens on TCP" 'grep -q "listening on 127.0.0.1:$port/TCP in realm lab" "$tmp/log"'
sed 's/OPTIONS sip/INVITE sip/; s/1 OPTIONS/1 INVITE/; s/probe1/probe3/' "$tmp/options.sip" > "$tmp/invite.sip"
out=$(python3 "$here/sip_probe.py" 127.0.0.1 "$port" "$tmp/invite.sip")
check "INVITE without a route: 100 first" '[ "$out" = "SIP/2.0 100 Trying" ]'

printf 'system-config = {\n  hostname = "ok";\n  process-log-level = "chatty";\n};\n' > "$tmp/run.cfg"
kill -HUP $pid
for _ in $(seq 50); do grep -q "reload refused" "$tmp/log" && break; sleep 0.1; done
check "SIGHUP with a broken file is refused" 'grep -q "reload refused; the running configuration stays" "$tmp/log"'
check "daemon survives the refused reload" 'kill -0 $pid 2>/dev/null'
sed 's/probe1/probe4/' "$tmp/options.sip" > "$tmp/options2.sip"
out=$(python3 "$here/sip_probe.py" 127.0.0.1 "$port" "$tmp/options2.sip")
check "and still answers" '[ "$out" = "SIP/2.0 200 OK" ]'
kill -TERM $pid
wait $pid; rc=$?
check "SIGTERM exits 0" '[ $rc -eq 0 ]'
check "stop is logged" 'grep -q "stopped" "$tmp/log"'

[ $fail -eq 0 ] && echo "sbcd: all checks passed"
exit $fail
