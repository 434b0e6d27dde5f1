# perf script output of a BootDesk process -> share of on-CPU samples per category (used by run --profile)
function flush() {
  if (n == 0) return
  c = ""
  if (comm ~ /VM Thread|GC/) c = "GC (VM Thread)"
  else if (comm ~ /Compiler/) c = "JIT compiler threads"
  else if (st ~ /logback/) c = "logging (logback: format + write to the log file)"
  else if (comm ~ /journa/) { if (st ~ /fsync/) c = "journal: fsync"; else c = "journal: SQLite (statements, WAL writes)" }
  else if (st ~ /sendto|writeAndFlush|doWrite/) c = "I/O thread: UDP send (syscall, veth)"
  else if (st ~ /recvfrom|doReadMessages/) c = "I/O thread: UDP receive"
  else if (st ~ /epoll_wait|EPoll/) c = "I/O thread: epoll"
  else if (st ~ /Inventory|Machine\./) c = "I/O thread: inventory (machine rows)"
  else if (st ~ /DhcpCodec/) c = "I/O thread: DHCP codec"
  else if (st ~ /Journal\.(event|machine|lease)|CompletableFuture/) c = "I/O thread: hand-off to journal / futures"
  else if (st ~ /DhcpResponder|Leases|BootPlanner|ClientInfo|DhcpMessage/) c = "I/O thread: DHCP logic"
  else c = "other (" comm ")"
  cnt[c]++; tot++
  n = 0; st = ""
}
/^[^ \t]/ { flush(); comm = $1; for (i = 2; i <= NF && $i !~ /^[0-9]+(\/[0-9]+)?$/; i++) comm = comm " " $i; next }
/^[ \t]+[0-9a-f]+ / { st = st " " $0; n++; next }
/^$/ { flush() }
END { flush(); for (k in cnt) printf "%5.1f%%  %s\n", 100 * cnt[k] / tot, k; printf "(%d samples at 999 Hz)\n", tot }
