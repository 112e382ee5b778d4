//go:build darwin || netbsd || freebsd

package store

import "syscall"

func ctimeNanos(st *syscall.Stat_t) int64 { return syscall.TimespecToNsec(st.Ctimespec) }
