#include "transport/tcp_transport.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <array>

#include "sip/limits.hpp"
#include "sip/message.hpp"

namespace palisade::transport {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {
std::string key_of(const std::string& address, std::uint16_t port) { return address + ":" + std::to_string(port); }
}  // namespace

class TcpTransport::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, TcpTransport& owner) : socket_(std::move(socket)), owner_(owner) {}

  // An accepted connection: read and write at once.
  void start(const transaction::Peer& peer) {
    peer_ = peer;
    read();
    flush();
  }
  // An outgoing one: queue until connect() succeeds.
  void set_peer(const transaction::Peer& peer) { peer_ = peer; }
  const transaction::Peer& peer() const { return peer_; }

  void send(std::string bytes) {
    out_.push_back(std::move(bytes));
    if (out_.size() == 1 && connected_) flush();
  }

  void connect(const tcp::endpoint& remote, const asio::ip::address& local) {
    boost::system::error_code ec;
    socket_.open(remote.protocol(), ec);
    if (!ec) socket_.bind(tcp::endpoint(local, 0), ec);
    if (ec) return close();
    connected_ = false;
    socket_.async_connect(remote, [self = shared_from_this()](const boost::system::error_code& e) {
      if (e) return self->close();
      self->connected_ = true;
      self->read();
      self->flush();
    });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ignored;
    socket_.close(ignored);
    owner_.forget(key_of(peer_.address, peer_.port));
  }

  bool connected_ = true;

 private:
  void read() {
    socket_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
      if (ec) return self->close();
      self->in_.append(self->chunk_.data(), n);
      self->frame();
      if (!self->closed_) self->read();
    });
  }

  // Takes every complete message off the front of the buffer (§18.3).
  void frame() {
    for (;;) {
      std::size_t skip = 0;
      while (in_.compare(skip, 2, "\r\n") == 0) skip += 2;  // CRLF keep-alives (RFC 5626 §3.5.1)
      if (skip) in_.erase(0, skip);
      if (in_.empty()) return;
      sip::ParseOptions stream;
      stream.stream = true;
      auto m = sip::parse_message(std::string_view(in_), stream);
      if (m) {
        const std::size_t n = m->consumed();
        const std::string one = in_.substr(0, n);
        in_.erase(0, n);
        owner_.handler_(one, peer_, nullptr);
        continue;
      }
      const auto code = m.error().code;
      if ((code == sip::Errc::Incomplete || code == sip::Errc::BodyTruncated) && in_.size() <= sip::kMaxMessageSize)
        return;  // wait for more
      // Framing is lost: let the stack answer what it can, then drop the connection.
      const std::size_t end = in_.find("\r\n\r\n");
      const sip::ParseError why = m.error();
      owner_.handler_(std::string_view(in_).substr(0, end == std::string::npos ? in_.size() : end + 4), peer_, &why);
      return close();
    }
  }

  void flush() {
    if (out_.empty() || closed_ || !connected_) return;
    asio::async_write(socket_, asio::buffer(out_.front()), [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
      if (ec) return self->close();
      self->out_.pop_front();
      self->flush();
    });
  }

  tcp::socket socket_;
  TcpTransport& owner_;
  transaction::Peer peer_;
  std::array<char, 16384> chunk_{};
  std::string in_;
  std::deque<std::string> out_;
  bool closed_ = false;
};

TcpTransport::TcpTransport(asio::io_context& io, const std::string& address, std::uint16_t port,
                           std::uint16_t socket_id, Handler on_message)
    : io_(io), acceptor_(io), local_(asio::ip::make_address(address)), id_(socket_id), handler_(std::move(on_message)) {
  const tcp::endpoint local(local_, port);
  acceptor_.open(local.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(local);
  acceptor_.listen();
  accept();
}

TcpTransport::~TcpTransport() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  auto all = std::move(connections_);
  for (auto& [k, c] : all) c->close();
}

void TcpTransport::accept() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) {
      boost::system::error_code e;
      const auto remote = socket.remote_endpoint(e);
      if (!e) {
        auto c = std::make_shared<Connection>(std::move(socket), *this);
        transaction::Peer peer{remote.address().to_string(), remote.port(), transaction::Transport::Tcp, id_};
        connections_[key_of(peer.address, peer.port)] = c;
        c->start(peer);
      }
    }
    accept();
  });
}

void TcpTransport::forget(const std::string& key) { connections_.erase(key); }

bool TcpTransport::send(const transaction::Peer& to, std::string_view wire) {
  const std::string key = key_of(to.address, to.port);
  if (auto it = connections_.find(key); it != connections_.end()) {
    it->second->send(std::string(wire));
    return true;
  }
  boost::system::error_code ec;
  const auto addr = asio::ip::make_address(to.address, ec);
  if (ec) return false;
  // No connection to this peer yet: open one. A failure to connect shows as a transaction
  // timeout (Timer B/F), since the transaction layer has no asynchronous transport errors.
  auto c = std::make_shared<Connection>(tcp::socket(io_), *this);
  connections_[key] = c;
  transaction::Peer peer{to.address, to.port, transaction::Transport::Tcp, id_};
  c->connected_ = false;
  c->set_peer(peer);
  c->send(std::string(wire));  // queued until connected
  c->connect(tcp::endpoint(addr, to.port), local_);
  return true;
}

}  // namespace palisade::transport
