// The ACLI's management server: a Unix socket (path and group from system-config, mode 0660)
// on sbcd's io_context, one mgmt::Session per connection. Each request is one line,
//   R <command line>   run it        C <line>   TAB completion        H <line>   `?` help
// and each answer is one frame: "<ok> <secret> <closed> <prompt-bytes> <body-bytes>\n" then the
// prompt and the body (for C, the candidate words, one per line).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include <memory>
#include <string>

#include "mgmt/config_store.hpp"
#include "mgmt/status.hpp"

namespace palisade::daemon {

class MgmtServer {
 public:
  static constexpr std::size_t kMaxLine = 8192;
  static constexpr std::size_t kMaxSessions = 32;

  // Throws std::runtime_error naming the socket when it cannot be opened.
  MgmtServer(boost::asio::io_context& io, const std::string& path, const std::string& group, mgmt::ConfigStore& store,
             const mgmt::StatusSource& status);
  ~MgmtServer();
  std::size_t sessions() const { return *live_; }

 private:
  void accept();

  boost::asio::local::stream_protocol::acceptor acceptor_;
  std::string path_;
  mgmt::ConfigStore& store_;
  const mgmt::StatusSource& status_;
  std::shared_ptr<std::size_t> live_ = std::make_shared<std::size_t>(0);
};

}  // namespace palisade::daemon
