// SIP over UDP on one sip-port: each datagram is one message (RFC 3261 §18.3).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include <array>
#include <functional>
#include <string>
#include <string_view>

#include "transaction/transaction_layer.hpp"

namespace palisade::transport {

class UdpTransport {
 public:
  using Handler = std::function<void(std::string_view datagram, const transaction::Peer& from)>;

  // Binds address:port; throws boost::system::system_error when it cannot.
  UdpTransport(boost::asio::io_context& io, const std::string& address, std::uint16_t port, std::uint16_t socket_id,
               Handler on_datagram);
  bool send(const transaction::Peer& to, std::string_view wire);

 private:
  void receive();

  boost::asio::ip::udp::socket socket_;
  std::uint16_t id_;
  Handler handler_;
  std::array<char, 65536> buffer_{};
  boost::asio::ip::udp::endpoint from_;
};

}  // namespace palisade::transport
