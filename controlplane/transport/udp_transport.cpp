#include "transport/udp_transport.hpp"

#include <boost/asio/ip/address.hpp>

namespace palisade::transport {

namespace asio = boost::asio;
using asio::ip::udp;

UdpTransport::UdpTransport(asio::io_context& io, const std::string& address, std::uint16_t port,
                           std::uint16_t socket_id, Handler on_datagram)
    : socket_(io), id_(socket_id), handler_(std::move(on_datagram)) {
  const udp::endpoint local(asio::ip::make_address(address), port);
  socket_.open(local.protocol());
  socket_.set_option(asio::socket_base::reuse_address(true));
  socket_.bind(local);
  receive();
}

void UdpTransport::receive() {
  socket_.async_receive_from(asio::buffer(buffer_), from_, [this](const boost::system::error_code& ec, std::size_t n) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) {
      transaction::Peer peer{from_.address().to_string(), from_.port(), transaction::Transport::Udp, id_};
      handler_(std::string_view(buffer_.data(), n), peer);
    }
    receive();
  });
}

bool UdpTransport::send(const transaction::Peer& to, std::string_view wire) {
  boost::system::error_code ec;
  const auto addr = asio::ip::make_address(to.address, ec);
  if (ec) return false;
  socket_.send_to(asio::buffer(wire.data(), wire.size()), udp::endpoint(addr, to.port), 0, ec);
  // A full socket buffer or an ICMP error from an earlier datagram is not a transport failure
  // of this message over UDP; only an address we cannot send to at all is.
  return !ec || ec == asio::error::would_block || ec == asio::error::connection_refused;
}

}  // namespace palisade::transport
