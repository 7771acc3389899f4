// acli: the Palisade shell. It connects to sbcd's management socket and puts the engine's
// sessions on a terminal: libedit line editing and history, TAB and `?` answered by sbcd, the
// password read without echo. Not on a terminal (a pipe, a script) it prints plain output;
// `acli -c "cmd; cmd"` runs commands and exits 1 at the first one refused.
#include <histedit.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace {

constexpr const char* kDefaultSocket = "/run/palisade/acli.sock";

struct Frame {
  bool ok = true, secret = false, closed = false;
  std::string prompt, body;
};

class Connection {
 public:
  bool open(const std::string& path) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    if (fd_ < 0 || path.size() >= sizeof a.sun_path) return false;
    std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
    return ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  std::optional<Frame> ask(char kind, const std::string& line) {
    std::string req(1, kind);
    req += ' ';
    for (char c : line) req += (c == '\n' || c == '\r') ? ' ' : c;
    req += '\n';
    if (!write_all(req)) return std::nullopt;
    return read_frame();
  }
  std::optional<Frame> read_frame() {
    std::string header;
    char c = 0;
    while (true) {
      if (!read_exact(&c, 1)) return std::nullopt;
      if (c == '\n') break;
      header += c;
      if (header.size() > 100) return std::nullopt;
    }
    int ok = 0, secret = 0, closed = 0;
    unsigned long plen = 0, blen = 0;
    if (std::sscanf(header.c_str(), "%d %d %d %lu %lu", &ok, &secret, &closed, &plen, &blen) != 5) return std::nullopt;
    Frame f{ok != 0, secret != 0, closed != 0, std::string(plen, '\0'), std::string(blen, '\0')};
    if (!read_exact(f.prompt.data(), plen) || !read_exact(f.body.data(), blen)) return std::nullopt;
    return f;
  }

 private:
  bool write_all(const std::string& s) {
    std::size_t done = 0;
    while (done < s.size()) {
      ssize_t n = ::write(fd_, s.data() + done, s.size() - done);
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }
  bool read_exact(char* p, std::size_t n) {
    while (n) {
      ssize_t r = ::read(fd_, p, n);
      if (r <= 0) return false;
      p += r, n -= static_cast<std::size_t>(r);
    }
    return true;
  }
  int fd_ = -1;
};

// "a; b; c" -> commands, a ';' inside double quotes kept.
std::vector<std::string> split_commands(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (char c : s) {
    if (c == '"') quoted = !quoted;
    if (c == ';' && !quoted) {
      out.push_back(cur), cur.clear();
      continue;
    }
    cur += c;
  }
  out.push_back(cur);
  for (auto& c : out) {
    c.erase(0, c.find_first_not_of(" \t"));
    c.erase(c.find_last_not_of(" \t") + 1);
  }
  return out;
}

std::string read_secret(const std::string& prompt) {
  std::fputs(prompt.c_str(), stdout);
  std::fflush(stdout);
  termios old{};
  const bool tty = ::tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  std::fputs("\n", stdout);
  return line;
}

// ---- the interactive terminal (libedit) -------------------------------------------------

Connection* g_conn = nullptr;
std::string g_prompt;

const char* prompt_of(EditLine*) { return g_prompt.c_str(); }

std::string line_to_cursor(EditLine* el) {
  const LineInfo* li = el_line(el);
  return std::string(li->buffer, static_cast<std::size_t>(li->cursor - li->buffer));
}

unsigned char on_tab(EditLine* el, int) {
  const std::string line = line_to_cursor(el);
  auto f = g_conn->ask('C', line);
  if (!f) return CC_ERROR;
  std::vector<std::string> words;
  for (std::size_t p = 0, e; p < f->body.size(); p = e + 1) {
    e = f->body.find('\n', p);
    words.push_back(f->body.substr(p, e - p));
  }
  if (words.empty()) return CC_REFRESH_BEEP;
  const std::size_t start = line.find_last_of(" \t") == std::string::npos ? 0 : line.find_last_of(" \t") + 1;
  const std::string partial = line.substr(start);
  std::string common = words[0];
  for (const auto& w : words)
    while (w.compare(0, common.size(), common) != 0) common.pop_back();
  std::string add = common.size() > partial.size() ? common.substr(partial.size()) : "";
  if (words.size() == 1) add += " ";
  if (!add.empty()) el_insertstr(el, add.c_str());
  if (words.size() > 1 && add.empty()) {
    std::string list = "\n";
    for (const auto& w : words) list += "  " + w + "\n";
    std::fputs(list.c_str(), stdout);
    return CC_REDISPLAY;
  }
  return CC_REFRESH;
}

unsigned char on_help(EditLine* el, int) {
  auto f = g_conn->ask('H', line_to_cursor(el));
  if (!f) return CC_ERROR;
  std::fputs(("?\n" + f->body).c_str(), stdout);
  return CC_REDISPLAY;
}

int interactive(Connection& conn, Frame first, const char* argv0) {
  g_conn = &conn;
  g_prompt = first.prompt;
  EditLine* el = el_init(argv0, stdin, stdout, stderr);
  History* hist = history_init();
  HistEvent ev;
  history(hist, &ev, H_SETSIZE, 500);
  el_set(el, EL_PROMPT, prompt_of);
  el_set(el, EL_EDITOR, "emacs");
  el_set(el, EL_HIST, history, hist);
  el_set(el, EL_ADDFN, "palisade-complete", "complete with sbcd", on_tab);
  el_set(el, EL_ADDFN, "palisade-help", "what may follow", on_help);
  el_set(el, EL_BIND, "^I", "palisade-complete", nullptr);
  el_set(el, EL_BIND, "?", "palisade-help", nullptr);
  bool secret = first.secret;
  int status = 0;
  while (true) {
    std::string line;
    if (secret) {
      line = read_secret(g_prompt);
    } else {
      int n = 0;
      const char* l = el_gets(el, &n);
      if (!l) break;  // end of input
      line.assign(l, static_cast<std::size_t>(n));
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
      if (!line.empty()) history(hist, &ev, H_ENTER, line.c_str());
    }
    auto f = conn.ask('R', line);
    if (!f) {
      std::fputs("acli: sbcd closed the connection\n", stderr);
      status = 1;
      break;
    }
    std::fputs(f->body.c_str(), stdout);
    g_prompt = f->prompt;
    secret = f->secret;
    if (f->closed) break;
  }
  history_end(hist);
  el_end(el);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  std::string socket_path = std::getenv("PALISADE_ACLI_SOCKET") ? std::getenv("PALISADE_ACLI_SOCKET") : kDefaultSocket;
  std::optional<std::string> commands;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if ((a == "-s" || a == "--socket") && i + 1 < argc) socket_path = argv[++i];
    else if (a == "-c" && i + 1 < argc) commands = argv[++i];
    else {
      std::fprintf(stderr, "usage: acli [-s SOCKET] [-c \"command; command ...\"]\n"
                           "  SOCKET defaults to $PALISADE_ACLI_SOCKET, else %s\n", kDefaultSocket);
      return 2;
    }
  }
  Connection conn;
  if (!conn.open(socket_path)) {
    std::fprintf(stderr, "acli: cannot connect to %s: %s (is sbcd running?)\n", socket_path.c_str(), std::strerror(errno));
    return 2;
  }
  auto first = conn.read_frame();
  if (!first) {
    std::fprintf(stderr, "acli: no answer from %s\n", socket_path.c_str());
    return 2;
  }
  if (!commands && ::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO)) return interactive(conn, *first, argv[0]);

  // Plain mode: commands from -c, else one per line of stdin; stop at the first refused.
  std::vector<std::string> lines;
  if (commands) lines = split_commands(*commands);
  else for (std::string l; std::getline(std::cin, l);) lines.push_back(l);
  for (const auto& line : lines) {
    auto f = conn.ask('R', line);
    if (!f) {
      std::fputs("acli: sbcd closed the connection\n", stderr);
      return 1;
    }
    std::fputs(f->body.c_str(), stdout);
    if (!f->ok) {
      std::fprintf(stderr, "acli: refused: %s\n", line.c_str());
      return 1;
    }
    if (f->closed) break;
  }
  return 0;
}
