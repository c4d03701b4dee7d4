package flow

import "time"

// NetConfig is the device's network configuration as Windows reports it (what `ipconfig
// /all` prints): the host name and each adapter with its addresses. The backend assigns it,
// deterministic from its seed; the screens only show it.
type NetConfig struct {
	// HostName is the computer's name before the deployment renames it ("DESKTOP-…").
	HostName string `json:"hostName"`
	// Adapters are the network adapters, Ethernet first.
	Adapters []Adapter `json:"adapters"`
}

// AdapterKind is the kind of a network adapter.
type AdapterKind string

const (
	// AdapterEthernet is a wired adapter ("Ethernet adapter Ethernet:").
	AdapterEthernet AdapterKind = "ethernet"
	// AdapterWireless is a Wi-Fi adapter ("Wireless LAN adapter Wi-Fi:").
	AdapterWireless AdapterKind = "wireless"
)

// Adapter is one network adapter and what DHCP gave it.
type Adapter struct {
	// Name is the connection's name ("Ethernet", "Wi-Fi").
	Name string `json:"name"`
	// Kind is ethernet or wireless.
	Kind AdapterKind `json:"kind"`
	// Description is the hardware's name ("Intel(R) Wi-Fi 6E AX211 160MHz").
	Description string `json:"description"`
	// MAC is the physical address, Windows-style ("3C-21-9C-0A-1B-2C").
	MAC string `json:"mac"`
	// Connected is false for "Media disconnected" (no cable, no Wi-Fi joined).
	Connected bool `json:"connected"`
	// SSID is the Wi-Fi network joined ("" for Ethernet or when not joined).
	SSID string `json:"ssid,omitempty"`
	// Internet is true when the link reaches the internet (false behind a captive portal).
	Internet bool `json:"internet,omitempty"`
	// DNSSuffix is the connection-specific DNS suffix DHCP gave ("" none).
	DNSSuffix string `json:"dnsSuffix,omitempty"`
	// LinkLocal is the link-local IPv6 address with its zone ("fe80::…%12").
	LinkLocal string `json:"linkLocal,omitempty"`
	// IPv4, Mask and Gateway are the IPv4 address, subnet mask and default gateway.
	IPv4 string `json:"ipv4,omitempty"`
	// Mask is the IPv4 subnet mask.
	Mask string `json:"mask,omitempty"`
	// Gateway is the default gateway.
	Gateway string `json:"gateway,omitempty"`
	// DHCPServer is the DHCP server that leased the address.
	DHCPServer string `json:"dhcpServer,omitempty"`
	// DNS are the DNS servers, in order.
	DNS []string `json:"dns,omitempty"`
	// LeaseObtained and LeaseExpires bound the DHCP lease (zero when not connected).
	LeaseObtained time.Time `json:"leaseObtained,omitzero"`
	// LeaseExpires is when the DHCP lease ends.
	LeaseExpires time.Time `json:"leaseExpires,omitzero"`
}

// Online reports whether an adapter of c reaches the internet.
func (c NetConfig) Online() bool {
	for _, a := range c.Adapters {
		if a.Connected && a.Internet {
			return true
		}
	}
	return false
}

// Connected returns the first connected adapter (ok false when none is).
func (c NetConfig) Connected() (Adapter, bool) {
	for _, a := range c.Adapters {
		if a.Connected {
			return a, true
		}
	}
	return Adapter{}, false
}

// VPNConnection is a VPN connection configured on the device for all users (what
// `Get-VpnConnection -AllUserConnection` lists), as a profile or an app put it there.
type VPNConnection struct {
	// Name is the connection's name ("Larkspur SecureLink").
	Name string `json:"name"`
	// ServerAddress is the VPN server's host name.
	ServerAddress string `json:"serverAddress"`
	// TunnelType is Windows' tunnel type ("Automatic", "Ikev2", "Sstp", "L2tp", "Pptp").
	TunnelType string `json:"tunnelType,omitempty"`
	// Reachable is false when the server does not answer (RASDIAL fails with error 800).
	Reachable bool `json:"reachable"`
}
