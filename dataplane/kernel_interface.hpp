// The kernel side of the exception path: the tap of each port gets the network-interface's
// address, and the kernel's neighbour table (filled by the ARP it answers and asks through the
// tap) gives flows their next-hop MACs. Control-thread calls only; these are syscalls.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace palisade::dataplane {

// Sets `ip`/`prefix_len` (IPv4) on `ifname` and brings it up; false with `error` set.
bool set_interface_address(const std::string& ifname, const std::string& ip, unsigned prefix_len, std::string& error);
// Prefix length of a dotted netmask ("255.255.255.0" -> 24); nullopt when it is not one.
std::optional<unsigned> prefix_length(const std::string& netmask);
// The kernel's ARP entry for `ip` on `ifname`, when it has a complete one.
std::optional<std::array<std::uint8_t, 6>> neighbour_mac(const std::string& ifname, const std::string& ip);

}  // namespace palisade::dataplane
