// SIP over TCP on one sip-port (RFC 3261 §18.3): an acceptor, and connections on which
// messages are framed by Content-Length. A connection is known by its remote address and port,
// so responses and in-dialog requests to a peer reuse the connection it came on; a request to a
// TCP peer with no connection opens one from this sip-port's address.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "sip/result.hpp"
#include "transaction/transaction_layer.hpp"

namespace palisade::transport {

class TcpTransport {
 public:
  // One framed message; or, when framing is lost, the bytes up to the header end and why
  // (`framing_error` set): the caller answers 400 if it can, and the connection is closed.
  using Handler = std::function<void(std::string_view message, const transaction::Peer& from,
                                     const sip::ParseError* framing_error)>;

  TcpTransport(boost::asio::io_context& io, const std::string& address, std::uint16_t port, std::uint16_t socket_id,
               Handler on_message);
  ~TcpTransport();
  bool send(const transaction::Peer& to, std::string_view wire);
  std::size_t connections() const { return connections_.size(); }

  class Connection;

 private:
  void accept();
  void adopt(std::shared_ptr<Connection> c);
  void forget(const std::string& key);

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::ip::address local_;
  std::uint16_t id_;
  Handler handler_;
  std::map<std::string, std::shared_ptr<Connection>> connections_;  // "address:port"
};

}  // namespace palisade::transport
