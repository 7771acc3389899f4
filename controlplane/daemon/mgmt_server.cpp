#include "daemon/mgmt_server.hpp"

#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "daemon/log.hpp"
#include "mgmt/shell.hpp"

namespace palisade::daemon {

namespace {

using boost::asio::local::stream_protocol;

std::string frame(bool ok, bool secret, bool closed, const std::string& prompt, const std::string& body) {
  return std::to_string(ok) + " " + std::to_string(secret) + " " + std::to_string(closed) + " " +
         std::to_string(prompt.size()) + " " + std::to_string(body.size()) + "\n" + prompt + body;
}

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(stream_protocol::socket s, mgmt::ConfigStore& store, const mgmt::StatusSource& status,
             std::shared_ptr<std::size_t> live)
      : socket_(std::move(s)), session_(store, status), buf_(MgmtServer::kMaxLine), live_(std::move(live)) {
    ++*live_;
  }
  ~Connection() { --*live_; }

  void start() { send(frame(true, false, false, session_.prompt(), "")); }

 private:
  void read() {
    boost::asio::async_read_until(socket_, buf_, '\n', [self = shared_from_this()](auto ec, std::size_t n) {
      if (ec) return;  // closed, or a line longer than kMaxLine: the connection ends
      std::string line(static_cast<const char*>(self->buf_.data().data()), n - 1);
      self->buf_.consume(n);
      self->answer(line);
    });
  }

  void answer(const std::string& line) {
    const char kind = line.empty() ? 'R' : line[0];
    const std::string text = line.size() > 2 ? line.substr(2) : "";
    if (kind == 'C') {
      std::string words;
      for (const auto& w : session_.complete(text)) words += w + "\n";
      return send(frame(true, session_.wants_secret(), false, session_.prompt(), words));
    }
    if (kind == 'H') return send(frame(true, session_.wants_secret(), false, session_.prompt(), session_.help(text)));
    const bool secret = session_.wants_secret();
    const mgmt::Reply r = session_.execute(text);
    if (!secret && !text.empty()) log::info("acli", "command: " + text + (r.ok ? "" : " (refused)"));
    std::string body = r.text;
    if (!body.empty() && body.back() != '\n') body += '\n';
    send(frame(r.ok, session_.wants_secret(), session_.closed(), session_.prompt(), body));
  }

  void send(std::string data) {
    out_ = std::move(data);
    boost::asio::async_write(socket_, boost::asio::buffer(out_), [self = shared_from_this()](auto ec, std::size_t) {
      if (ec || self->session_.closed()) return;
      self->read();
    });
  }

  stream_protocol::socket socket_;
  mgmt::Session session_;
  boost::asio::streambuf buf_;
  std::string out_;
  std::shared_ptr<std::size_t> live_;
};

}  // namespace

MgmtServer::MgmtServer(boost::asio::io_context& io, const std::string& path, const std::string& group,
                       mgmt::ConfigStore& store, const mgmt::StatusSource& status)
    : acceptor_(io), path_(path), store_(store), status_(status) {
  const auto fail = [&](const std::string& why) { throw std::runtime_error("cannot open acli-socket " + path + ": " + why); };
  std::error_code fec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), fec);
  // A socket left by an earlier sbcd is replaced; a live one (another sbcd) or anything that is
  // not a socket is not touched.
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) fail("the path exists and is not a socket");
    stream_protocol::socket probe(io);
    boost::system::error_code pec;
    probe.connect(stream_protocol::endpoint(path), pec);
    if (!pec) fail("another process serves it");
    ::unlink(path.c_str());
  }
  boost::system::error_code ec;
  acceptor_.open(stream_protocol(), ec);
  if (!ec) acceptor_.bind(stream_protocol::endpoint(path), ec);
  if (!ec) acceptor_.listen(16, ec);
  if (ec) fail(ec.message());
  gid_t gid = static_cast<gid_t>(-1);
  if (!group.empty()) {
    const struct group* g = ::getgrnam(group.c_str());
    if (!g) fail("no group " + group);
    gid = g->gr_gid;
  }
  if (::chown(path.c_str(), static_cast<uid_t>(-1), gid) != 0 || ::chmod(path.c_str(), 0660) != 0)
    fail(std::strerror(errno));
  log::notice("acli", "management socket " + path + (group.empty() ? "" : " for group " + group));
  accept();
}

MgmtServer::~MgmtServer() {
  boost::system::error_code ec;
  acceptor_.close(ec);
  ::unlink(path_.c_str());
}

void MgmtServer::accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, stream_protocol::socket s) {
    if (ec == boost::asio::error::operation_aborted) return;
    if (!ec) {
      if (*live_ >= kMaxSessions) {
        log::warning("acli", "refused a connection: " + std::to_string(kMaxSessions) + " sessions open");
      } else {
        std::make_shared<Connection>(std::move(s), store_, status_, live_)->start();
      }
    }
    accept();
  });
}

}  // namespace palisade::daemon
