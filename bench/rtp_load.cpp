// rtp_load: the media of many calls from one side, for scripts/bench-media-load.sh. From one
// UDP socket it sends a 200-byte RTP packet every 1/PPS s to each of STREAMS steering ports of
// the SBC (FIRST, FIRST+2, ...), and counts what comes back by the port it comes from, so each
// stream's media is told apart without a socket per call. Sends in sendmmsg batches on a clock
// (no sleeps per packet); prints one line:
//   sent=N received=M streams_heard=K min_stream=A max_stream=B late_ms=L
// late_ms: how far the sender fell behind its schedule at worst (0: it kept the rate).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Args {
  std::string bind_ip, to_ip;
  int bind_port = 0, first = 0, streams = 0;
  double pps = 50, seconds = 10, linger = 1;
};

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: rtp_load --bind IP:PORT --to IP --first PORT --streams N [--pps P] [--seconds S] [--linger S]\n");
  std::exit(2);
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--bind") {
      const auto colon = v.rfind(':');
      if (colon == std::string::npos) usage();
      a.bind_ip = v.substr(0, colon), a.bind_port = std::atoi(v.c_str() + colon + 1);
    } else if (k == "--to") a.to_ip = v;
    else if (k == "--first") a.first = std::atoi(v.c_str());
    else if (k == "--streams") a.streams = std::atoi(v.c_str());
    else if (k == "--pps") a.pps = std::atof(v.c_str());
    else if (k == "--seconds") a.seconds = std::atof(v.c_str());
    else if (k == "--linger") a.linger = std::atof(v.c_str());
    else usage();
  }
  if (a.bind_ip.empty() || a.to_ip.empty() || a.first <= 0 || a.streams <= 0 || a.pps <= 0) usage();
  return a;
}

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = parse(argc, argv);
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  // Large buffers, past rmem_max when root may: a burst the generator reads late must not be
  // counted as the SBC's loss.
  int big = 32 << 20;
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big) != 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big) != 0) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
  sockaddr_in me{};
  me.sin_family = AF_INET;
  me.sin_port = htons(static_cast<std::uint16_t>(a.bind_port));
  inet_pton(AF_INET, a.bind_ip.c_str(), &me.sin_addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&me), sizeof me) != 0) {
    std::perror("rtp_load: bind");
    return 1;
  }

  constexpr int kBatch = 64;
  std::vector<sockaddr_in> dest(a.streams);
  for (int i = 0; i < a.streams; ++i) {
    dest[i].sin_family = AF_INET;
    dest[i].sin_port = htons(static_cast<std::uint16_t>(a.first + 2 * i));
    inet_pton(AF_INET, a.to_ip.c_str(), &dest[i].sin_addr);
  }
  std::vector<std::uint32_t> seq(a.streams, 0);
  std::vector<std::uint64_t> heard(a.streams, 0);
  unsigned char out[kBatch][200]{};
  unsigned char in[kBatch][1500];
  iovec out_iov[kBatch], in_iov[kBatch];
  mmsghdr out_msg[kBatch]{}, in_msg[kBatch]{};
  sockaddr_in from[kBatch];
  for (int i = 0; i < kBatch; ++i) {
    out_iov[i] = {out[i], sizeof out[i]};
    in_iov[i] = {in[i], sizeof in[i]};
    out_msg[i].msg_hdr.msg_iov = &out_iov[i];
    out_msg[i].msg_hdr.msg_iovlen = 1;
    out_msg[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
    in_msg[i].msg_hdr.msg_iov = &in_iov[i];
    in_msg[i].msg_hdr.msg_iovlen = 1;
    in_msg[i].msg_hdr.msg_name = &from[i];
  }

  const double rate = a.pps * a.streams;  // packets a second in all
  const std::uint64_t total = static_cast<std::uint64_t>(rate * a.seconds);
  std::uint64_t sent = 0, received = 0;
  double late = 0;
  const double start = now_s();
  double end = start + a.seconds + a.linger;
  int next = 0;
  while (true) {
    const double t = now_s();
    if (t > end) break;
    // What the schedule says should have gone by now, in batches.
    const std::uint64_t due = std::min<std::uint64_t>(total, static_cast<std::uint64_t>((t - start) * rate));
    if (sent < due) late = std::max(late, t - start - static_cast<double>(sent) / rate);
    while (sent < due) {
      const int n = static_cast<int>(std::min<std::uint64_t>(kBatch, due - sent));
      for (int i = 0; i < n; ++i) {
        const int s = next;
        next = next + 1 == a.streams ? 0 : next + 1;
        unsigned char* p = out[i];
        p[0] = 0x80, p[1] = 0;
        const std::uint32_t q = seq[s]++;
        p[2] = static_cast<unsigned char>(q >> 8), p[3] = static_cast<unsigned char>(q);
        const std::uint32_t ts = htonl(q * 160), ssrc = htonl(0xC0FF0000u + static_cast<std::uint32_t>(s));
        std::memcpy(p + 4, &ts, 4);
        std::memcpy(p + 8, &ssrc, 4);
        out_msg[i].msg_hdr.msg_name = &dest[s];
      }
      const int done = sendmmsg(fd, out_msg, static_cast<unsigned>(n), MSG_DONTWAIT);
      if (done <= 0) break;  // the socket is full: the schedule shows it as lateness
      sent += static_cast<std::uint64_t>(done);
    }
    for (int i = 0; i < kBatch; ++i) in_msg[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
    const int got = recvmmsg(fd, in_msg, kBatch, MSG_DONTWAIT, nullptr);
    for (int i = 0; i < got; ++i) {
      const int port = ntohs(from[i].sin_port);
      const int s = (port - a.first) / 2;
      if (port >= a.first && (port - a.first) % 2 == 0 && s < a.streams) ++heard[s];
      ++received;
    }
    if (got <= 0 && sent >= total) usleep(200);
    else if (got <= 0) usleep(50);
  }
  close(fd);
  const auto [lo, hi] = std::minmax_element(heard.begin(), heard.end());
  const long streams_heard = std::count_if(heard.begin(), heard.end(), [](std::uint64_t h) { return h > 0; });
  std::printf("sent=%llu received=%llu streams_heard=%ld min_stream=%llu max_stream=%llu late_ms=%.0f\n",
              static_cast<unsigned long long>(sent), static_cast<unsigned long long>(received), streams_heard,
              static_cast<unsigned long long>(*lo), static_cast<unsigned long long>(*hi), late * 1000);
  return 0;
}
