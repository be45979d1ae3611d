# SPDX-License-Identifier: GPL-2.0
# Normalise a trace into a per-process transcript that tests can compare
# exactly: one line per syscall on FILE (arguments without pointers, then
# "= result"), followed by the page-cache indices its window added and
# deleted (folio orders expanded to pages, so the kernel's choice of folio
# size does not matter), and one line per io_uring submission/completion.
#
# usage: transcript TRACE TGID FILE

transcript() {
	local trace=$1 tgid=$2 file=$3 ino
	ino=$(stat -c %i "$file")
	"$PCRACE" dump --json "$trace" | jq -r --argjson tgid "$tgid" \
		--arg f "$file" --argjson ino "$ino" '
	def args: [to_entries[] | select(.key | IN("fd", "len", "offset",
		"flags", "mode", "prot", "advice", "rwf", "entries", "whence"))
		| "\(.key)=\(.value)"] | join(" ");
	select(.tgid == $tgid) |
	if .phase == "enter" then
		"E\t\(.tid)\t\(.event)\t\(args)\t" +
		(if (.file == $f or .path == $f or
		     (.event | IN("io_uring_setup", "io_uring_enter")))
		 then "1" elif (.event | IN("msync", "munmap")) then "2"
		 else "0" end) + "\t\(.addr // "")"
	elif .phase == "exit" then "X\t\(.tid)\t\(.event)\t\(.ret)"
	elif (.event | test("^mm_filemap_(add_to|delete_from)_page_cache$"))
	     and .ino == $ino then
		"P\t\(.tid)\t\(if (.event | test("add")) then "add" else "del" end)\t\(.index)\t\(.order)"
	elif .event == "io_uring_submit_req" and .file == $f then
		"U\t\(.tid)\tio_uring_submit_req \(.opcode) fd=\(.fd) offset=\(.offset) len=\(.len)"
	elif .event == "io_uring_complete" then
		"U\t\(.tid)\tio_uring_complete res=\(.res)"
	else empty end' | awk -F'\t' '
	function flush(tid,   s, k, n, i, idx) {
		s = desc[tid] " = " ret
		for (k = 0; k < 2; k++) {
			kind = k ? "del" : "add"
			n = split(pages[tid, kind], idx, " ")
			if (!n)
				continue
			# numeric sort, unique
			for (i = 1; i <= n; i++) seen[idx[i] + 0] = 1
			list = ""
			for (p = 0; p < 1048576 && n > 0; p++)
				if (p in seen) { list = list (list ? "," : "") p; delete seen[p]; n-- }
			s = s " [" kind " " list "]"
		}
		print s
		delete pages[tid, "add"]; delete pages[tid, "del"]
	}
	# msync/munmap count when they act on a mapping of the file
	$1 == "E" { open[$2] = $5 == "1" || ($5 == "2" && ($6 in maps))
		    desc[$2] = $3 (length($4) ? " " $4 : ""); addr[$2] = $6
		    if (open[$2]) cur = $2 }
	$1 == "X" { if (open[$2]) {
			    ret = $4
			    if ($3 == "mmap") { maps[$4] = 1; ret = "ADDR" }
			    if ($3 == "munmap") delete maps[addr[$2]]
			    flush($2)
		    }
		    open[$2] = 0; if (cur == $2) cur = "" }
	$1 == "U" { print $3 }
	$1 == "P" { w = ($2 in open && open[$2]) ? $2 : cur
		    for (i = 0; i < 2 ^ $5; i++) {
			    if (w != "") pages[w, $3] = pages[w, $3] " " ($4 + i)
			    else print $3 " " ($4 + i)
		    } }'
}
