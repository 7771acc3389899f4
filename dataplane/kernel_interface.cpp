#include "kernel_interface.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace palisade::dataplane {

namespace {
struct Socket {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ~Socket() {
    if (fd >= 0) close(fd);
  }
};

sockaddr_in v4(const std::string& ip) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
  return a;
}
}  // namespace

std::optional<unsigned> prefix_length(const std::string& netmask) {
  in_addr a{};
  if (inet_pton(AF_INET, netmask.c_str(), &a) != 1) return std::nullopt;
  const std::uint32_t m = ntohl(a.s_addr);
  const unsigned len = static_cast<unsigned>(__builtin_popcount(m));
  if (len != 32 && (m << len) != 0) return std::nullopt;  // ones must come first
  return len;
}

bool set_interface_address(const std::string& ifname, const std::string& ip, unsigned prefix_len, std::string& error) {
  Socket s;
  ifreq r{};
  if (ifname.size() >= IFNAMSIZ || s.fd < 0) {
    error = "bad interface name '" + ifname + "'";
    return false;
  }
  std::strncpy(r.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
  const sockaddr_in addr = v4(ip);
  const std::uint32_t mask = prefix_len == 0 ? 0 : htonl(~0u << (32 - prefix_len));
  sockaddr_in m{};
  m.sin_family = AF_INET;
  m.sin_addr.s_addr = mask;
  std::memcpy(&r.ifr_addr, &addr, sizeof addr);
  if (ioctl(s.fd, SIOCSIFADDR, &r) != 0) {
    error = "cannot set " + ip + " on " + ifname + ": " + std::strerror(errno);
    return false;
  }
  std::memcpy(&r.ifr_netmask, &m, sizeof m);
  if (ioctl(s.fd, SIOCSIFNETMASK, &r) != 0) {
    error = "cannot set the netmask of " + ifname + ": " + std::strerror(errno);
    return false;
  }
  if (ioctl(s.fd, SIOCGIFFLAGS, &r) != 0 || ((r.ifr_flags |= IFF_UP), ioctl(s.fd, SIOCSIFFLAGS, &r)) != 0) {
    error = "cannot bring " + ifname + " up: " + std::strerror(errno);
    return false;
  }
  return true;
}

std::optional<std::array<std::uint8_t, 6>> neighbour_mac(const std::string& ifname, const std::string& ip) {
  Socket s;
  arpreq r{};
  const sockaddr_in addr = v4(ip);
  std::memcpy(&r.arp_pa, &addr, sizeof addr);
  std::strncpy(r.arp_dev, ifname.c_str(), sizeof r.arp_dev - 1);
  if (s.fd < 0 || ioctl(s.fd, SIOCGARP, &r) != 0 || !(r.arp_flags & ATF_COM)) return std::nullopt;
  std::array<std::uint8_t, 6> mac;
  std::memcpy(mac.data(), r.arp_ha.sa_data, 6);
  return mac;
}

}  // namespace palisade::dataplane
