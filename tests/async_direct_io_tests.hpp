// async_direct_io_tests.hpp: attacks on the direct socket I/O of the asynchronous stream
// (detail/async_stream.hpp: over an asio stream socket, TLS's records are sent straight to
// the descriptor when nothing is queued, and received straight into BoringSSL's buffer
// while data flows). Included at the end of async_tests.hpp, so both flavours run them
// with its helpers (loopback_pair, handshaken_pair, client_ctx, ...).
//
// What they hold: a truncated stream is never read as data or as a clean end; bytes are
// never reordered, lost or duplicated with reads, writes, key updates and cancellations at
// once; a reset under a large write fails it (never SIGPIPE); a closed next layer whose
// descriptor number is reused is never written to nor read from; the next layers that
// must keep their own operations (TLS over TLS, a socket type that overrides them) do.
#include <openssl/ssl.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <csignal>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

namespace {

/// relay_half: copies what arrives on `from` to `to` until stopped (a man in the middle
/// that can later hand the client any prefix of what the server sent).
struct relay_half {
  tcp::socket& from;
  tcp::socket& to;
  std::vector<char> buf = std::vector<char>(65536);
  net::cancellation_signal stop_signal{};
  bool stop = false;
  relay_half(tcp::socket& f, tcp::socket& t) : from(f), to(t) {}
  void start() {
    from.async_read_some(net::buffer(buf), net::bind_cancellation_slot(stop_signal.slot(), [this](error_code ec, std::size_t n) {
                           if (ec) return;
                           net::async_write(to, net::buffer(buf.data(), n), [this](error_code ec2, std::size_t) {
                             if (!ec2 && !stop) start();
                           });
                         }));
  }
  void halt() {
    stop = true;
    stop_signal.emit(net::cancellation_type::terminal);
  }
};

/// handshake_through: both handshakes of `c` and `s` through a relay between
/// (mitm_c, mitm_s), which then stops, so that the test forwards (or cuts) what follows.
void handshake_through(net::io_context& io, tls_socket& c, tls_socket& s, relay_half& up, relay_half& down) {
  up.start();
  down.start();
  int ok = 0;
  c.async_handshake([&](error_code ec) { ok += !ec; });
  s.async_handshake([&](error_code ec) { ok += !ec; });
  while (ok < 2) REQUIRE(io.run_one() == 1);
  up.halt();
  down.halt();
}

/// record_starts: the offsets of the TLS records in `raw` (which must hold whole records).
std::vector<std::size_t> record_starts(const std::string& raw) {
  std::vector<std::size_t> at;
  std::size_t i = 0;
  while (i + 5 <= raw.size()) {
    at.push_back(i);
    i += 5 + ((static_cast<std::size_t>(static_cast<unsigned char>(raw[i + 3])) << 8) |
              static_cast<std::size_t>(static_cast<unsigned char>(raw[i + 4])));
  }
  REQUIRE(i == raw.size());
  return at;
}

/// read_to_end: reads `t` into `into` with callbacks until a read fails; the code it failed with.
error_code read_to_end(net::io_context& io, tls_socket& t, std::vector<std::byte>& into) {
  error_code end;
  std::array<std::byte, 16384> buf;
  std::function<void()> more = [&] {
    t.async_read_some(net::buffer(buf), [&](error_code ec, std::size_t n) {
      into.insert(into.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
      if (ec) {
        end = ec;
        return;
      }
      more();
    });
  };
  more();
  io.restart();
  io.run();
  return end;
}

/// small_buffer_pair: a connected TCP pair on `io` whose send and receive buffers are
/// 4 KiB (a write completes only as the peer reads), with an Ethernet-sized segment: over
/// loopback's 64 KiB segments, Linux (6.x) announces no window smaller than a segment to a
/// 4 KiB receive buffer, and the transfer crawls on zero-window probes whatever the sockets'
/// owner does (plain TCP sockets with 4 KiB buffers move about 1 MiB in 20 seconds there).
std::pair<tcp::socket, tcp::socket> small_buffer_pair(net::io_context& io) {
  using max_segment = net::detail::socket_option::integer<IPPROTO_TCP, TCP_MAXSEG>;
  const auto small = [](tcp::socket& s) {
    s.set_option(net::socket_base::send_buffer_size(4096));
    s.set_option(net::socket_base::receive_buffer_size(4096));
  };
  tcp::acceptor acceptor(io);
  acceptor.open(tcp::v4());
  acceptor.set_option(max_segment(1400));  // the accepted socket inherits it
  acceptor.set_option(net::socket_base::receive_buffer_size(4096));
  acceptor.bind(loopback(0));
  acceptor.listen();
  tcp::socket client(io);
  client.open(tcp::v4());
  client.set_option(max_segment(1400));
  small(client);
  client.connect(acceptor.local_endpoint());
  tcp::socket server = acceptor.accept();
  small(server);
  return {std::move(client), std::move(server)};
}

/// handshaken_over: a client and a server stream over `pair`, handshaken.
std::pair<tls_socket, tls_socket> handshaken_over(net::io_context& io, std::pair<tcp::socket, tcp::socket> pair) {
  tls_socket c(client_ctx(), std::move(pair.first), "localhost");
  tls_socket s(test::server_context_with(), std::move(pair.second));
  int ok = 0;
  c.async_handshake([&](error_code ec) { ok += !ec; });
  s.async_handshake([&](error_code ec) { ok += !ec; });
  io.restart();
  REQUIRE(io.run_for(std::chrono::seconds(20)) > 0);
  REQUIRE(ok == 2);
  return {std::move(c), std::move(s)};
}

/// run_bounded: runs `io` until it has nothing left to do or `limit` passed; whether it
/// ran out of work (a deadlock makes it run until the limit, and the test fails instead
/// of hanging the suite).
bool run_bounded(net::io_context& io, std::chrono::steady_clock::duration limit = std::chrono::seconds(60)) {
  io.restart();
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!io.stopped() && std::chrono::steady_clock::now() < end) io.run_one_until(end);
  return io.stopped();
}

/// is_prefix: whether `got` is the first got.size() bytes of `of`.
bool is_prefix(const std::vector<std::byte>& got, const std::vector<std::byte>& of) {
  return got.size() <= of.size() && std::equal(got.begin(), got.end(), of.begin());
}

/// duplex: one side of a transfer both ways at once: a chain of writes of varied sizes and
/// a chain of reads of varied sizes, in flight together; optionally a key update asked of
/// the peer every few writes (its answer is written by the peer's read, while the peer's
/// own write may be in flight), and a cancellation of every few reads.
struct duplex {
  tls_socket& t;
  const std::vector<std::byte>& out;
  std::vector<std::byte> in;
  bool key_updates = false;
  int cancel_every = 0;  // 0: never
  std::size_t sent = 0, got = 0;
  std::size_t wi = 0, ri = 0;
  int cancelled = 0, updates = 0;
  error_code werr, rerr;
  net::cancellation_signal signal;
  static constexpr std::size_t write_sizes[] = {1, 5, 300, 4096, 16383, 16384, 16385, 40000, 65536, 70000, 200000, 2};
  static constexpr std::size_t read_sizes[] = {1, 16384, 7, 100000, 513, 4096, 65536, 3};
  duplex(tls_socket& s, const std::vector<std::byte>& o, std::size_t expect) : t(s), out(o), in(expect) {}
  void write_next() {
    if (sent == out.size()) return;
    if (key_updates && wi % 7 == 3) {
      REQUIRE(SSL_key_update(t.native_handle(), SSL_KEY_UPDATE_REQUESTED) == 1);
      ++updates;
    }
    const std::size_t n = std::min(write_sizes[wi++ % std::size(write_sizes)], out.size() - sent);
    t.async_write_some(net::buffer(out.data() + sent, n), [this](error_code ec, std::size_t k) {
      if (ec) {
        werr = ec;
        return;
      }
      sent += k;
      if (cancel_every && wi % cancel_every == 0) {
        // The read in flight meanwhile (often in the next layer's read) is cancelled.
        static constexpr net::cancellation_type kinds[] = {net::cancellation_type::terminal,
                                                           net::cancellation_type::partial, net::cancellation_type::total};
        signal.emit(kinds[wi % 3]);
      }
      write_next();
    });
  }
  void read_next() {
    if (got == in.size()) return;
    const std::size_t n = std::min(read_sizes[ri++ % std::size(read_sizes)], in.size() - got);
    t.async_read_some(net::buffer(in.data() + got, n), net::bind_cancellation_slot(signal.slot(), [this](error_code ec, std::size_t k) {
                        got += k;
                        if (ec == net::error::operation_aborted) {
                          ++cancelled;
                          return read_next();
                        }
                        if (ec) {
                          rerr = ec;
                          return;
                        }
                        read_next();
                      }));
  }
};

}  // namespace

TEST_CASE("direct I/O: a stream cut inside a record, inside a header or at a record's end is never data nor a clean end",
          FLAVOUR_TAG) {
  // A man in the middle relays the handshake, then hands the client a prefix of what the
  // server sent (all of it waiting in the client's socket before it reads: its reads take
  // the direct path) and ends the TCP stream with a FIN or a reset.
  enum class cut { inside_record, inside_header, at_record_end, after_everything };
  for (const cut where : {cut::inside_record, cut::inside_header, cut::at_record_end, cut::after_everything})
    for (const bool reset : {false, true})
      for (const bool suppress : {false, true})
        DYNAMIC_SECTION("cut " << static_cast<int>(where) << (reset ? " reset" : " FIN") << " suppress_ragged_eofs "
                               << suppress) {
          net::io_context io;
          auto [client_sock, mitm_c] = loopback_pair(io);
          auto [mitm_s, server_sock] = loopback_pair(io);
          client_sock.set_option(net::socket_base::receive_buffer_size(2 << 20));
          mitm_c.set_option(net::socket_base::send_buffer_size(2 << 20));
          server_sock.set_option(net::socket_base::send_buffer_size(2 << 20));
          mitm_s.set_option(net::socket_base::receive_buffer_size(2 << 20));
          tls_socket c(client_ctx(), std::move(client_sock), "localhost",
                       sslpp::wrap_options{.suppress_ragged_eofs = suppress});
          tls_socket s(test::server_context_with(), std::move(server_sock));
          relay_half up(mitm_c, mitm_s), down(mitm_s, mitm_c);
          handshake_through(io, c, s, up, down);
          io.run();  // the relay's reads end (what they had is forwarded whole)
          // The server sends 16 full records and ends its side.
          const auto big = test::pattern(16 * 16384, 11);
          error_code wec = net::error::would_block;
          net::async_write(s, net::buffer(big), [&](error_code ec, std::size_t) { wec = ec; });
          io.restart();
          io.run();
          REQUIRE_FALSE(wec);
          s.next_layer().shutdown(tcp::socket::shutdown_send);
          std::string raw;
          error_code rec;
          net::read(mitm_s, net::dynamic_buffer(raw), rec);
          REQUIRE(rec == net::error::eof);
          const auto starts = record_starts(raw);
          REQUIRE(starts.size() >= 16);
          const std::size_t last = starts.back();
          REQUIRE(raw.size() - last == 5 + 16384 + 17);  // the last record: 16 KiB of data, TLS 1.3's type and tag
          std::size_t keep = 0, expect = 0;
          switch (where) {
            case cut::inside_record: keep = last + 5 + 100, expect = big.size() - 16384; break;
            case cut::inside_header: keep = last + 3, expect = big.size() - 16384; break;
            case cut::at_record_end: keep = last, expect = big.size() - 16384; break;
            case cut::after_everything: keep = raw.size(), expect = big.size(); break;
          }
          net::write(mitm_c, net::buffer(raw.data(), keep));
          if (reset) {
            mitm_c.set_option(net::socket_base::linger(true, 0));
            mitm_c.close();
          } else {
            mitm_c.shutdown(tcp::socket::shutdown_send);
          }
          std::vector<std::byte> got;
          const error_code end = read_to_end(io, c, got);
          INFO("received " << got.size() << " of " << expect << " bytes; the read ended with " << end.message());
          CHECK(is_prefix(got, big));  // never a byte of a partial record, never a byte out of place
          CHECK(got.size() <= expect);
          if (reset) {
            CHECK(end == net::error::connection_reset);
          } else {
            CHECK(got.size() == expect);
            if (suppress) CHECK(end == net::error::eof);
            else CHECK(to_std(end) == sslpp::ssl_errc::eof);
          }
        }
}

TEST_CASE("direct I/O: both ways at once, varied writes and reads, key updates and cancelled reads: every byte once, in order",
          FLAVOUR_TAG) {
  // With 4 KiB socket buffers on both sides a write completes only as the peer reads:
  // a side whose read waits for a write (its own or its writer's) while the peer does the
  // same stalls both. Cancelled reads end in every phase (in the next layer's read, in a
  // flush of queued output, parked) and the next read goes on from where they left.
  for (const bool small_buffers : {true, false})
    for (const bool key_updates : {false, true})
      for (const int cancel_every : {0, 5})
        DYNAMIC_SECTION((small_buffers ? "4 KiB socket buffers" : "default socket buffers")
                        << (key_updates ? ", key updates" : "") << (cancel_every ? ", cancelled reads" : "")) {
          net::io_context io;
          auto [c, s] = handshaken_over(io, small_buffers ? small_buffer_pair(io) : loopback_pair(io));
          const auto up = test::pattern(3 << 20, 21), down = test::pattern(3 << 20, 22);
          duplex a(c, up, down.size()), b(s, down, up.size());
          for (auto* d : {&a, &b}) {
            d->key_updates = key_updates;
            d->cancel_every = cancel_every;
            d->read_next();
            d->write_next();
          }
          const bool finished = run_bounded(io);
          INFO("client sent " << a.sent << " got " << a.got << " (" << a.werr.message() << " / " << a.rerr.message()
                              << "); server sent " << b.sent << " got " << b.got << " (" << b.werr.message() << " / "
                              << b.rerr.message() << "); cancelled reads " << a.cancelled + b.cancelled);
          REQUIRE(finished);
          CHECK_FALSE(a.werr);
          CHECK_FALSE(a.rerr);
          CHECK_FALSE(b.werr);
          CHECK_FALSE(b.rerr);
          CHECK(a.sent == up.size());
          CHECK(b.sent == down.size());
          CHECK(a.in == down);
          CHECK(b.in == up);
          if (key_updates) CHECK(a.updates + b.updates > 0);
        }
}

TEST_CASE("cancellation: a read whose next layer's read already brought part of a record completes with operation_aborted, and the next read returns the record",
          FLAVOUR_TAG) {
  // The cancellation comes once the next layer's read has completed (its bytes are in, its
  // handler not run yet): it must not be lost (the read waited for the rest of the record,
  // a `read || timer` never timed out), nor the bytes (the next read returns the record).
  for (const auto kind : {net::cancellation_type::terminal, net::cancellation_type::partial, net::cancellation_type::total})
    DYNAMIC_SECTION("cancellation type " << static_cast<int>(kind)) {
      net::io_context io;
      auto [client_sock, mitm_c] = loopback_pair(io);
      auto [mitm_s, server_sock] = loopback_pair(io);
      tls_socket c(client_ctx(), std::move(client_sock), "localhost");
      tls_socket s(test::server_context_with(), std::move(server_sock));
      relay_half up(mitm_c, mitm_s), down(mitm_s, mitm_c);
      handshake_through(io, c, s, up, down);
      io.restart();
      io.run();
      // One record from the server, taken by the man in the middle.
      const std::string msg(3000, 'r');
      error_code wec = net::error::would_block;
      net::async_write(s, net::buffer(msg), [&](error_code ec, std::size_t) { wec = ec; });
      io.restart();
      io.run();
      REQUIRE_FALSE(wec);
      // What the server sent since the relay stopped: records that may precede (session
      // tickets the relay had not read yet), forwarded whole, then the message's record.
      std::string before, raw;
      for (;;) {
        std::string rec(5, '\0');
        net::read(mitm_s, net::buffer(rec));
        rec.resize(5 + ((static_cast<std::size_t>(static_cast<unsigned char>(rec[3])) << 8) |
                        static_cast<std::size_t>(static_cast<unsigned char>(rec[4]))));
        net::read(mitm_s, net::buffer(rec.data() + 5, rec.size() - 5));
        if (rec.size() == 5 + msg.size() + 17) {  // TLS 1.3: the content type and a 16-byte tag
          raw = std::move(rec);
          break;
        }
        before += rec;
      }
      // Half of it waits in the client's socket before the read starts: the next layer's
      // read completes at once (its handler is queued), and the cancellation comes after.
      const std::size_t half = raw.size() / 2;
      before.append(raw, 0, half);
      net::write(mitm_c, net::buffer(before));
      while (c.next_layer().available() < before.size()) {
      }
      std::array<char, 4096> buf{};
      std::optional<error_code> first;
      net::cancellation_signal signal;
      c.async_read_some(net::buffer(buf), net::bind_cancellation_slot(signal.slot(), [&](error_code ec, std::size_t n) {
                          CHECK(n == 0);
                          first = ec;
                        }));
      signal.emit(kind);
      io.restart();
      REQUIRE(run_bounded(io, std::chrono::seconds(10)));
      REQUIRE(first);
      CHECK(*first == net::error::operation_aborted);
      // The rest of the record: the next read returns it whole.
      net::write(mitm_c, net::buffer(raw.data() + half, raw.size() - half));
      std::string got;
      error_code rec;
      net::async_read(c, net::dynamic_buffer(got), net::transfer_exactly(msg.size()),
                      [&](error_code ec, std::size_t) { rec = ec; });
      REQUIRE(run_bounded(io, std::chrono::seconds(10)));
      CHECK_FALSE(rec);
      CHECK(got == msg);
    }
}

TEST_CASE("cancellation: writes cancelled under back-pressure on both sides, then each side reads while the rest of its write waits: every byte once, in order",
          FLAVOUR_TAG) {
  // 4 KiB socket buffers. The server writes 1 MiB and reads only once that write ended; the
  // client writes 1 MiB as well, reads, and cancels its write as its first bytes arrive:
  // what TLS took of it (the count it completes with) is queued, whole records. A read that
  // sent it before reading waited for the server to read, while the server's write waited
  // for the client to read: both stalled for good. The queued bytes go out while the read
  // goes on, before the close_notify of the client's shutdown.
  net::io_context io;
  auto [c, s] = handshaken_over(io, small_buffer_pair(io));
  const auto up = test::pattern(1 << 20, 41), down = test::pattern(1 << 20, 42);
  std::optional<error_code> server_write, client_write, client_shutdown;
  std::size_t client_wrote = 0;
  std::vector<std::byte> server_got;
  error_code server_end;
  std::array<std::byte, 16384> sbuf;
  std::function<void()> server_read = [&] {
    s.async_read_some(net::buffer(sbuf), [&](error_code ec, std::size_t n) {
      server_got.insert(server_got.end(), sbuf.begin(), sbuf.begin() + static_cast<std::ptrdiff_t>(n));
      if (ec) {
        server_end = ec;
        return;
      }
      server_read();
    });
  };
  net::async_write(s, net::buffer(down), [&](error_code ec, std::size_t) {
    server_write = ec;
    server_read();
  });
  net::cancellation_signal cancel_write;
  net::async_write(c, net::buffer(up), net::bind_cancellation_slot(cancel_write.slot(), [&](error_code ec, std::size_t n) {
                     client_write = ec;
                     client_wrote = n;
                   }));
  std::vector<std::byte> client_got(down.size());
  std::size_t got = 0;
  std::function<void()> client_read = [&] {
    c.async_read_some(net::buffer(client_got.data() + got, client_got.size() - got), [&](error_code ec, std::size_t n) {
      REQUIRE_FALSE(ec);
      if (got == 0) cancel_write.emit(net::cancellation_type::terminal);
      got += n;
      if (got < client_got.size()) return client_read();
      c.async_shutdown([&](error_code e) { client_shutdown = e; });
    });
  };
  client_read();
  const bool finished = run_bounded(io);
  INFO("client got " << got << " of " << down.size() << "; server got " << server_got.size() << " of the "
                     << client_wrote << " TLS took");
  REQUIRE(finished);
  REQUIRE(server_write);
  CHECK_FALSE(*server_write);
  REQUIRE(client_write);
  CHECK(*client_write == net::error::operation_aborted);  // (it had not ended: the server read nothing yet)
  CHECK(client_wrote < up.size());
  CHECK(client_got == down);
  REQUIRE(client_shutdown);
  CHECK_FALSE(*client_shutdown);
  CHECK(server_end == net::error::eof);  // the close_notify, after every byte TLS took
  CHECK(server_got.size() == client_wrote);
  CHECK(is_prefix(server_got, up));
}

TEST_CASE("direct I/O: a read parked behind the handshake's read, then a bulk transfer already waiting, arrives whole",
          FLAVOUR_TAG) {
  net::io_context io;
  auto [client_sock, server_sock] = loopback_pair(io);
  client_sock.set_option(net::socket_base::receive_buffer_size(2 << 20));
  tls_socket s(test::server_context_with(), std::move(server_sock));
  tls_socket c(client_ctx(), std::move(client_sock), "localhost");
  error_code hs = net::error::would_block;
  c.async_handshake([&](error_code ec) { hs = ec; });
  const auto big = test::pattern(1 << 20, 31);
  std::vector<std::byte> got(big.size());
  error_code rec = net::error::would_block;
  net::async_read(c, net::buffer(got), [&](error_code ec, std::size_t) { rec = ec; });  // parked behind the handshake
  s.async_handshake([&](error_code ec) {
    REQUIRE_FALSE(ec);
    net::async_write(s, net::buffer(big), [](error_code e, std::size_t) { CHECK_FALSE(e); });
  });
  io.run();
  CHECK_FALSE(hs);
  CHECK_FALSE(rec);
  CHECK(got == big);
}

TEST_CASE("direct I/O: a bounded shutdown while the peer's data flows ends at once with an ssl error, never a hang",
          FLAVOUR_TAG) {
  net::io_context io;
  auto [c, s] = handshaken_pair(io, client_ctx(), test::server_context_with());
  c.next_layer().set_option(net::socket_base::receive_buffer_size(2 << 20));
  const auto big = test::pattern(2 << 20, 41);
  std::vector<std::byte> got(256 << 10);
  error_code wec = net::error::would_block, rec = net::error::would_block, sec = net::error::would_block;
  net::async_write(s, net::buffer(big), [&](error_code ec, std::size_t) { wec = ec; });
  // Read some of it (the direct path in use), then shut down with the rest still coming.
  net::async_read(c, net::buffer(got), [&](error_code ec, std::size_t) {
    rec = ec;
    c.async_shutdown(30s, [&](error_code ec2) {
      sec = ec2;
      s.next_layer().close();  // the server stops writing
    });
  });
  const auto started = std::chrono::steady_clock::now();
  io.restart();
  io.run();
  CHECK_FALSE(rec);
  CHECK(std::equal(got.begin(), got.end(), big.begin()));
  INFO("the shutdown ended with " << sec.message());
  CHECK(sec);
  CHECK(to_std(sec) != std::errc::timed_out);
  CHECK(std::chrono::steady_clock::now() - started < 20s);
}

TEST_CASE("direct I/O: a reset under a large write fails it with the reset or a broken pipe, and never raises SIGPIPE",
          FLAVOUR_TAG) {
  // SIGPIPE is blocked here, so one raised would stay pending (and is looked for).
  sigset_t pipe_only, before;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  REQUIRE(pthread_sigmask(SIG_BLOCK, &pipe_only, &before) == 0);
  for (const bool reset_first : {false, true})
    for (const bool small_writes : {false, true})
      DYNAMIC_SECTION((reset_first ? "reset before the write" : "reset while the write is in flight")
                      << (small_writes ? ", small writes" : ", 8 MiB writes")) {
        net::io_context io;
        auto [c, s] = handshaken_pair(io, client_ctx(), test::server_context_with());
        c.next_layer().set_option(net::socket_base::send_buffer_size(8192));
        const auto big = test::pattern(8 << 20, 51);
        auto reset_peer = [&] {
          s.next_layer().set_option(net::socket_base::linger(true, 0));
          s.next_layer().close();
        };
        // Unless reset first, the server reads (and drops) until it resets.
        std::array<char, 65536> drop_buf;
        std::function<void()> drop = [&] {
          s.async_read_some(net::buffer(drop_buf), [&](error_code ec, std::size_t) {
            if (!ec) drop();
          });
        };
        if (reset_first) reset_peer();
        else drop();
        std::size_t taken = 0;
        int writes = 0;
        error_code end;
        std::function<void()> more = [&] {
          const std::size_t n = small_writes ? 100 : big.size();
          const std::size_t off = small_writes ? taken % (big.size() - n) : 0;
          c.async_write_some(net::buffer(big.data() + off, n), [&](error_code ec, std::size_t k) {
            taken += k;
            ++writes;
            if (ec) {
              end = ec;
              return;
            }
            if (!reset_first && writes == 2) reset_peer();  // the third is then in flight
            more();
          });
        };
        more();
        io.restart();
        io.run();  // ends only when a write fails
        INFO("after " << writes << " writes (" << taken << " bytes taken), the write failed with " << end.message());
        CHECK((end == net::error::connection_reset || end == net::error::broken_pipe));
        // The next write fails too: the connection does not come back as if nothing was lost.
        error_code again;
        c.async_write_some(net::buffer(big.data(), 100), [&](error_code ec, std::size_t) { again = ec; });
        io.restart();
        io.run();
        CHECK(again);
      }
  sigset_t pending;
  sigemptyset(&pending);
  REQUIRE(sigpending(&pending) == 0);
  const bool raised = sigismember(&pending, SIGPIPE) == 1;
  if (raised) {
    int sig = 0;
    sigwait(&pipe_only, &sig);
  }
  pthread_sigmask(SIG_SETMASK, &before, nullptr);
  CHECK_FALSE(raised);
}

TEST_CASE("direct I/O: after next_layer().close(), a descriptor reused by another socket is never written nor read",
          FLAVOUR_TAG) {
  for (const bool data_flowing : {false, true})
    DYNAMIC_SECTION((data_flowing ? "closed while data flows" : "closed with a read and a write pending")) {
      net::io_context io;
      auto [c, s] = handshaken_pair(io, client_ctx(), test::server_context_with());
      const auto big = test::pattern(1 << 20, 61);
      const int fd = static_cast<int>(c.next_layer().native_handle());
      error_code rec = net::error::would_block, wec = net::error::would_block;
      std::array<std::byte, 16384> buf;
      int reused_peer = -1;
      auto close_and_reuse = [&] {
        // Closed, and the descriptor number taken at once by another connection (what a
        // busy server's next accept does).
        int pair[2];
        REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0);
        c.next_layer().close();
        REQUIRE(::dup2(pair[0], fd) == fd);
        ::close(pair[0]);
        reused_peer = pair[1];
        const char hello[] = "not for TLS";
        REQUIRE(::send(reused_peer, hello, sizeof hello, 0) == static_cast<ssize_t>(sizeof hello));
      };
      std::function<void()> more;
      if (data_flowing) {
        c.next_layer().set_option(net::socket_base::receive_buffer_size(2 << 20));
        net::async_write(s, net::buffer(big), [](error_code, std::size_t) {});
        io.restart();
        io.run();  // all of it waits in the client's socket
        // Reads take the direct path; the handler of the second closes the socket and the
        // descriptor is reused: the read chained from it must not receive from it.
        more = [&, reads = 0]() mutable {
          c.async_read_some(net::buffer(buf), [&](error_code ec, std::size_t) {
            if (ec) {
              rec = ec;
              return;
            }
            if (++reads == 2) {
              close_and_reuse();
              c.async_write_some(net::buffer(big.data(), 20000), [&](error_code e, std::size_t) { wec = e; });
            }
            more();
          });
        };
        more();
      } else {
        // A read waits (the server sends nothing), a write is in flight (4 KiB buffers, 1 MiB).
        c.next_layer().set_option(net::socket_base::send_buffer_size(4096));
        s.next_layer().set_option(net::socket_base::receive_buffer_size(4096));
        c.async_read_some(net::buffer(buf), [&](error_code ec, std::size_t) { rec = ec; });
        c.async_write_some(net::buffer(big), [&](error_code ec, std::size_t) { wec = ec; });
        io.restart();
        while (io.poll() > 0) {}
        REQUIRE(rec == net::error::would_block);
        REQUIRE(wec == net::error::would_block);
        close_and_reuse();
      }
      io.restart();
      io.run();
      INFO("read: " << rec.message() << ", write: " << wec.message());
      CHECK(rec);
      CHECK(wec);
      // Later operations fail, and nothing of them reaches the new connection.
      error_code later_w, later_r, later_s;
      c.async_write_some(net::buffer(big.data(), 50000), [&](error_code ec, std::size_t) { later_w = ec; });
      c.async_read_some(net::buffer(buf), [&](error_code ec, std::size_t) { later_r = ec; });
      c.async_shutdown([&](error_code ec) { later_s = ec; });
      io.restart();
      io.run();
      CHECK(later_w);
      CHECK(later_r);
      CHECK(later_s);
      char seen[64];
      const auto leaked = ::recv(reused_peer, seen, sizeof seen, MSG_DONTWAIT);
      CHECK(leaked == -1);  // nothing: the TLS stream never wrote to the new connection
      char mine[64] = {};
      CHECK(::recv(fd, mine, sizeof mine, MSG_DONTWAIT) == 12);  // and never took its bytes
      CHECK(std::string_view(mine) == "not for TLS");
      ::close(fd);
      ::close(reused_peer);
    }
}

// The next layers that are not a plain asio socket keep their own operations.
static_assert(sslpp::detail::native_stream_socket<tcp::socket>);
static_assert(sslpp::detail::native_stream_socket<net::local::stream_protocol::socket>);
static_assert(!sslpp::detail::native_stream_socket<tls_socket>);
static_assert(!sslpp::detail::native_stream_socket<net::posix::stream_descriptor>);

namespace {
/// counting_socket: a TCP socket whose writes are counted (as a quota, a metering
/// or a fault-injecting socket type would): a next layer that is a socket but not a plain one.
struct counting_socket : tcp::socket {
  using tcp::socket::socket;
  explicit counting_socket(tcp::socket&& s) : tcp::socket(std::move(s)) {}
  std::shared_ptr<std::size_t> write_count = std::make_shared<std::size_t>(0);
  template <class Buffers, class Token>
  auto async_write_some(const Buffers& b, Token&& token) {
    *write_count += net::buffer_size(b);
    return tcp::socket::async_write_some(b, std::forward<Token>(token));
  }
};
}  // namespace

static_assert(!sslpp::detail::native_stream_socket<counting_socket>);

TEST_CASE("direct I/O: a socket type that overrides its writes sees every byte TLS sends", FLAVOUR_TAG) {
  net::io_context io;
  auto [client_sock, server_sock] = loopback_pair(io);
  tls<counting_socket> c(client_ctx(), counting_socket(std::move(client_sock)), "localhost");
  tls_socket s(test::server_context_with(), std::move(server_sock));
  const auto big = test::pattern(1 << 20, 71);
  std::vector<std::byte> got(big.size());
  int ok = 0;
  c.async_handshake([&](error_code ec) {
    ok += !ec;
    net::async_write(c, net::buffer(big), [&](error_code e, std::size_t) { ok += !e; });
  });
  s.async_handshake([&](error_code ec) {
    ok += !ec;
    net::async_read(s, net::buffer(got), [&](error_code e, std::size_t) { ok += !e; });
  });
  io.run();
  CHECK(ok == 4);
  CHECK(got == big);
  INFO("bytes through the socket type's async_write_some: " << *c.next_layer().write_count);
  CHECK(*c.next_layer().write_count > big.size());  // every record went through it
}

TEST_CASE("direct I/O: TLS over TLS both ways at once, every byte once, in order", FLAVOUR_TAG) {
  net::io_context io;
  auto [client_sock, server_sock] = loopback_pair(io);
  tls<tls_socket> c(client_ctx(), tls_socket(client_ctx(), std::move(client_sock), "localhost"), "localhost");
  tls<tls_socket> s(test::server_context_with(), server_stream(std::move(server_sock)));
  const auto up = test::pattern(1 << 20, 81), down = test::pattern(1 << 20, 82);
  std::vector<std::byte> at_s(up.size()), at_c(down.size());
  int ok = 0;
  c.async_handshake([&](error_code ec) {
    REQUIRE_FALSE(ec);
    net::async_write(c, net::buffer(up), [&](error_code e, std::size_t) { ok += !e; });
    net::async_read(c, net::buffer(at_c), [&](error_code e, std::size_t) { ok += !e; });
  });
  s.async_handshake([&](error_code ec) {
    REQUIRE_FALSE(ec);
    net::async_write(s, net::buffer(down), [&](error_code e, std::size_t) { ok += !e; });
    net::async_read(s, net::buffer(at_s), [&](error_code e, std::size_t) { ok += !e; });
  });
  io.run();
  CHECK(ok == 4);
  CHECK(at_s == up);
  CHECK(at_c == down);
}
