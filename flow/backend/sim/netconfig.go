package sim

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/oobe-emu/oobe/flow"
)

// DHCPLease is how long the simulated DHCP servers lease an address (a Windows Server DHCP
// scope's default).
const DHCPLease = 8 * 24 * time.Hour

// The simulated adapters' hardware.
const (
	ethernetDescription = "Intel(R) Ethernet Connection (16) I219-LM"
	wirelessDescription = "Intel(R) Wi-Fi 6E AX211 160MHz"
)

// netRand is the generator of the device's own addresses: from the seed alone, so the
// adapters do not depend on how many random choices the run made before.
func (b *Backend) netRand(salt uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(b.seed), 0x1fc0ff33^salt))
}

// hostName is Windows' own computer name before the deployment names the device.
func (b *Backend) hostName() string {
	return "DESKTOP-" + randomChars(b.netRand(1), 7)
}

// mac makes a physical address under the adapter vendor's prefix.
func mac(oui string, rng *rand.Rand) string {
	return fmt.Sprintf("%s-%02X-%02X-%02X", oui, rng.IntN(256), rng.IntN(256), rng.IntN(256))
}

// subnet is the private /24 a network hands out addresses from, from its name (the same
// network always gives the same subnet).
func subnet(name string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(name))
	v := h.Sum32()
	return fmt.Sprintf("10.%d.%d", 16+v%200, (v>>8)%250)
}

// netConfig is the adapters as DHCP left them: the cable (connected when present, with an
// address from the wired LAN) and the Wi-Fi adapter (joined to ssid when not "", with
// internet when internet). Leases are stamped with the clock's time.
func (b *Backend) netConfig(ssid string, internet bool) *flow.NetConfig {
	rng := b.netRand(2)
	now := b.clock.Now().UTC().Truncate(time.Second)
	suffix := ""
	if b.tn().Profile.Join == flow.JoinHybrid {
		suffix = b.domainFQDN()
	}
	eth := flow.Adapter{Name: "Ethernet", Kind: flow.AdapterEthernet, Description: ethernetDescription, MAC: mac("8C-8C-AA", rng)}
	wifi := flow.Adapter{Name: "Wi-Fi", Kind: flow.AdapterWireless, Description: wirelessDescription, MAC: mac("3C-21-9C", rng)}
	lease := func(a *flow.Adapter, net string, zone int) {
		host := 20 + rng.IntN(200)
		a.Connected, a.DNSSuffix = true, suffix
		a.IPv4, a.Mask, a.Gateway = fmt.Sprintf("%s.%d", net, host), "255.255.255.0", net+".1"
		a.DHCPServer, a.DNS = net+".1", []string{net + ".1"}
		a.LinkLocal = fmt.Sprintf("fe80::%x:%x:%x:%x%%%d", rng.IntN(0x10000), rng.IntN(0x10000), rng.IntN(0x10000), rng.IntN(0x10000), zone)
		a.LeaseObtained, a.LeaseExpires = now, now.Add(DHCPLease)
	}
	if b.wired || b.sc().Ethernet.Present {
		lease(&eth, subnet("ethernet:"+b.serial), 6)
		eth.Internet = b.wired || b.sc().Ethernet.Internet
	}
	if ssid != "" {
		lease(&wifi, subnet("wifi:"+ssid), 12)
		wifi.SSID, wifi.Internet = ssid, internet
	}
	return &flow.NetConfig{HostName: b.hostName(), Adapters: []flow.Adapter{eth, wifi}}
}

// vpnConnections are the scenario's VPN connections as the device knows them.
func (b *Backend) vpnConnections() []flow.VPNConnection {
	var out []flow.VPNConnection
	for _, v := range b.sc().VPNConnections {
		t := v.TunnelType
		if t == "" {
			t = "Automatic"
		}
		out = append(out, flow.VPNConnection{Name: v.Name, ServerAddress: strings.TrimSpace(v.ServerAddress), TunnelType: t, Reachable: !v.Unreachable})
	}
	return out
}
