#!/bin/sh
# /init of the demo guest: keeps a journal on /dev/vda and answers commands on the serial console.
# The disk layout and the console protocol are documented in demo-guest.ts; change both together
# (this file is part of the cache key of a built guest).
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
set -f
DISK=/dev/vda
TTY=/dev/ttyS0
FIFO=/run/journal.fifo
JOURNAL_START=16384   # first record slot: 1 MiB / 64 B
JOURNAL_SLOTS=1032192 # slots in [1 MiB, 64 MiB)
JOURNAL_BLOCKS=1008   # 64 KiB blocks in [1 MiB, 64 MiB)

say() { echo "slice-guest: $*" >$TTY; }

# acpid runs this file again, through /etc/acpi/PWRF/00000080, when the power button is pressed.
if [ "$1" = power-button ]; then
  if [ -e /run/ignore-acpi ]; then say 'power button ignored'; else echo shutdown >$FIFO; fi
  exit 0
fi

halt_with() {
  say "error $*"
  sync
  poweroff -f
}

is_number() { case $1 in '' | *[!0-9]*) return 1 ;; esac }

# The record in slot $1, trailing padding removed; empty for a slot never written (zeros).
read_slot() {
  dd if=$DISK bs=64 skip=$((JOURNAL_START + $1)) count=1 2>/dev/null | tr -d '\000' | sed 's/ *$//'
}

# Records are contiguous from slot 0 and unwritten slots read as zeros. Scanning 63 MiB takes seconds
# under TCG, so: find the last 64 KiB block (1024 slots) holding a record, galloping then bisecting
# on each block's first slot, and count the records in that block.
count_records() {
  local lo=0 hi=1 mid
  while [ $hi -lt $JOURNAL_BLOCKS ] && [ -n "$(read_slot $((hi * 1024)))" ]; do
    lo=$hi
    hi=$((hi * 2))
  done
  [ $hi -le $JOURNAL_BLOCKS ] || hi=$JOURNAL_BLOCKS
  while [ $((hi - lo)) -gt 1 ]; do
    mid=$(((lo + hi) / 2))
    if [ -n "$(read_slot $((mid * 1024)))" ]; then lo=$mid; else hi=$mid; fi
  done
  echo $((lo * 1024 + $(dd if=$DISK bs=64k skip=$((16 + lo)) count=1 2>/dev/null | tr -d '\000' | wc -l)))
}

# Writes record $2 into slot $1 with one 64-byte write, synced, so an image taken at any instant
# holds whole records only.
append() {
  [ "$1" -lt $JOURNAL_SLOTS ] || return 1
  printf '%-63.63s\n' "$2" |
    dd of=$DISK bs=64 seek=$((JOURNAL_START + $1)) count=1 iflag=fullblock conv=notrunc,fsync 2>/dev/null
}

read_boots() {
  local header n
  header=$(dd if=$DISK bs=64 count=1 2>/dev/null | tr -d '\000' | head -n 1)
  case $header in 'slice-guest boots='*) n=${header#slice-guest boots=} ;; *) n=0 ;; esac
  is_number "$n" || n=0
  echo $((n))
}

# The only process that appends after boot: `mark`, the ticker and the power button all go through
# the FIFO, so records never interleave nor share a slot. $1 is the record count so far; the seq of
# a record is its 1-based position in the journal.
journal_writer() {
  local seq=$1 last_tick=0 op arg
  exec 3<>$FIFO
  while read -r op arg <&3; do
    case $op in
    mark)
      if append $seq "mark $arg $((seq + 1))"; then
        seq=$((seq + 1))
        say "ok mark $arg $seq"
      else say 'error journal full'; fi
      ;;
    tick) append $seq "tick $((seq + 1))" && seq=$((seq + 1)) && last_tick=$seq ;;
    ticker-stopped) say "ok ticker stop $last_tick" ;;
    status) say "ok status boot=$boot records=$seq" ;;
    shutdown)
      append $seq "shutdown $boot"
      sync
      say 'powering off'
      poweroff -f
      ;;
    esac
  done
}

TICKER=''
run_command() {
  set -- $1
  case "$1" in
  '') ;;
  mark)
    if [ $# -ne 2 ] || [ ${#2} -gt 40 ]; then
      say 'error usage: mark <word of at most 40 characters>'
      return
    fi
    case $2 in *[!A-Za-z0-9_.-]*) say 'error a mark is one word of [A-Za-z0-9_.-]' ;; *) echo "mark $2" >$FIFO ;; esac
    ;;
  ticker)
    if [ "$2" = start ] && is_number "$3" && [ "$3" -gt 0 ]; then
      if [ -n "$TICKER" ]; then say 'error ticker already running'; return; fi
      (while :; do
        usleep $(($3 * 1000))
        echo tick >$FIFO
      done) &
      TICKER=$!
      say "ok ticker start $3"
    elif [ "$2" = stop ]; then
      if [ -n "$TICKER" ]; then
        kill $TICKER
        wait $TICKER 2>/dev/null
        TICKER=''
      fi
      echo ticker-stopped >$FIFO
    else say 'error usage: ticker start <ms> | ticker stop'; fi
    ;;
  write)
    local disk_mib=$(($(cat /sys/block/vda/size) / 2048))
    if ! is_number "$2" || ! is_number "$3" || [ "$2" -lt 64 ] || [ $(($2 + $3)) -gt $disk_mib ]; then
      say "error usage: write <offsetMiB >= 64> <countMiB>, within $disk_mib MiB"
    elif dd if=/dev/urandom of=$DISK bs=1M seek=$2 count=$3 iflag=fullblock conv=notrunc,fsync 2>/dev/null; then
      say "ok write $2 $3"
    else say 'error write failed'; fi
    ;;
  ignore-acpi)
    touch /run/ignore-acpi
    say 'ok ignore-acpi'
    ;;
  status) echo status >$FIFO ;;
  *) say "error unknown command $1" ;;
  esac
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /run
# The button driver turns QEMU's ACPI power button into KEY_POWER on /dev/input/event*.
modprobe -a virtio_pci virtio_blk button evdev || halt_with 'modprobe failed'
dmesg -n 1
tries=0
while [ ! -b $DISK ]; do
  tries=$((tries + 1))
  [ $tries -le 500 ] || halt_with "no $DISK"
  usleep 10000
done
stty -F $TTY -echo

boot=$(($(read_boots) + 1))
printf 'slice-guest boots=%d\n' $boot | dd of=$DISK bs=4096 count=1 conv=sync,notrunc,fsync 2>/dev/null
records=$(count_records)
last=''
[ "$records" -gt 0 ] && last=$(read_slot $((records - 1)))
append "$records" "boot $boot" || halt_with 'journal full'
mkfifo $FIFO
journal_writer $((records + 1)) &
acpid -f -c /etc/acpi -l /run/acpid.log &
acpid_pid=$!
# A press before acpid has opened the input devices is lost, so `ready` waits for it.
devices=$(ls /dev/input | grep -c '^event')
tries=0
until [ "$(ls -l /proc/$acpid_pid/fd | grep -c /dev/input/event)" -ge "$devices" ]; do
  tries=$((tries + 1))
  [ $tries -le 500 ] || halt_with 'acpid did not start'
  usleep 10000
done

say "boot=$boot records=$records last=$last"
say ready
while :; do
  while IFS= read -r line; do run_command "$line"; done <$TTY
done
