package main

import (
	"slices"
	"strings"
	"testing"
)

func TestParseCPUList(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []int
	}{
		{"0", []int{0}},
		{"0-1\n", []int{0, 1}},
		{"0,2-4,7", []int{0, 2, 3, 4, 7}},
	} {
		if got, err := parseCPUList(tc.in); err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("parseCPUList(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", ",", "x", "1-0", "-1", "0-a"} {
		if got, err := parseCPUList(bad); err == nil {
			t.Errorf("parseCPUList(%q) = %v, want an error", bad, got)
		}
	}
}

func TestSplitCPUs(t *testing.T) {
	for _, tc := range []struct {
		cpus           []int
		client, server string
		ok             bool
	}{
		{[]int{0}, "", "", false},
		{[]int{0, 1}, "0", "1", true},
		{[]int{0, 1, 2}, "0", "1,2", true},
		{[]int{2, 3, 5, 7}, "2,3", "5,7", true},
	} {
		client, server, ok := splitCPUs(tc.cpus)
		if client != tc.client || server != tc.server || ok != tc.ok {
			t.Errorf("splitCPUs(%v) = %q, %q, %v; want %q, %q, %v", tc.cpus, client, server, ok, tc.client, tc.server, tc.ok)
		}
	}
}

func TestPinnedArgsKeepTheSplit(t *testing.T) {
	rc := &runConfig{serverCPUs: "1", clientCPUs: "0"}
	got := strings.Join(pinnedArgs([]string{"-out", "x"}, rc), " ")
	if want := "run -out x -server-cpus 1 -client-cpus 0"; got != want {
		t.Errorf("pinnedArgs = %q, want %q", got, want)
	}
	rc = &runConfig{clientCPUs: "0-1"}
	if got, want := strings.Join(pinnedArgs(nil, rc), " "), "run -client-cpus 0-1"; got != want {
		t.Errorf("pinnedArgs = %q, want %q", got, want)
	}
}

func TestDefaultPinning(t *testing.T) {
	rc := &runConfig{pin: false}
	if why := defaultPinning(rc); why != "" || rc.serverCPUs != "" || rc.autoPinned {
		t.Errorf("-pin=false: pinned %+v (%q)", rc, why)
	}
	rc = &runConfig{pin: true, serverCPUs: "3"}
	if why := defaultPinning(rc); why != "" || rc.serverCPUs != "3" || rc.clientCPUs != "" || rc.autoPinned {
		t.Errorf("-server-cpus given: default pinning changed it: %+v (%q)", rc, why)
	}
	rc = &runConfig{pin: true}
	why := defaultPinning(rc)
	list, err := allowedCPUs("self")
	if err != nil {
		t.Fatal(err)
	}
	cpus, _ := parseCPUList(list)
	client, server, ok := splitCPUs(cpus)
	switch {
	case ok && why == "" && (rc.clientCPUs != client || rc.serverCPUs != server || !rc.autoPinned):
		t.Errorf("CPUs %s: pinned client %q server %q, want %q and %q", list, rc.clientCPUs, rc.serverCPUs, client, server)
	case !ok && (why == "" || rc.autoPinned):
		t.Errorf("CPUs %s: pinned %+v (%q), want a reason not to", list, rc, why)
	}
}
