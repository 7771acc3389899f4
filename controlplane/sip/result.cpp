#include "result.hpp"

namespace palisade::sip {

const char* errc_name(Errc code) {
  switch (code) {
    case Errc::Empty: return "empty";
    case Errc::TooLarge: return "too-large";
    case Errc::TooManyHeaders: return "too-many-headers";
    case Errc::LineTooLong: return "line-too-long";
    case Errc::Incomplete: return "incomplete";
    case Errc::BadStartLine: return "bad-start-line";
    case Errc::BadMethod: return "bad-method";
    case Errc::BadRequestUri: return "bad-request-uri";
    case Errc::BadVersion: return "bad-version";
    case Errc::BadStatusCode: return "bad-status-code";
    case Errc::BadHeaderName: return "bad-header-name";
    case Errc::BadHeaderValue: return "bad-header-value";
    case Errc::BadContentLength: return "bad-content-length";
    case Errc::BodyTruncated: return "body-truncated";
    case Errc::CSeqMismatch: return "cseq-mismatch";
    case Errc::BadUri: return "bad-uri";
    case Errc::BadSdp: return "bad-sdp";
    case Errc::BadMultipart: return "bad-multipart";
    case Errc::BadSipfrag: return "bad-sipfrag";
  }
  return "unknown";
}

std::string describe(const ParseError& e) {
  return std::string(e.reason) + " at offset " + std::to_string(e.offset);
}

}  // namespace palisade::sip
