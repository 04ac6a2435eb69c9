// sslpp — SPDX-License-Identifier: MIT
//
// detail/async_stream.hpp: the asynchronous TLS stream of <sslpp/asio.hpp> and
// <sslpp/boost_asio.hpp>, written once over an "asio flavour" (standalone asio or
// Boost.Asio: its error_code, async_compose, buffers, timers and cancellation types).
//
// The TLS side is the engine every sslpp connection uses (detail::engine, with the wrap
// policy of detail/client_policy.hpp and the queries of detail/connection_queries.hpp);
// its transport is a pair of buffers in memory, and the composed operations below move
// their bytes with the next layer's async_read_some and async_write. Over an asio stream
// socket, what TLS writes goes straight to the descriptor when nothing is queued before
// it, and while data flows TLS receives straight from it: no record is copied once more.
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/context.hpp>
#include <sslpp/detail/client_policy.hpp>
#include <sslpp/detail/connection_queries.hpp>
#include <sslpp/detail/engine.hpp>
#include <sslpp/detail/key_offload.hpp>  // pending_signature
#include <sslpp/error.hpp>
#include <sslpp/hostname.hpp>
#include <sslpp/stream.hpp>

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <sslpp/detail/chrono.hpp>
#include <concepts>
#include <cstddef>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// native_stream_socket: an asio stream socket (ip::tcp::socket, local::stream_protocol::
/// socket): a descriptor a non-blocking send() may write to directly. Not Beast's
/// tcp_stream (its timeouts watch its own operations) nor another TLS stream, nor a class
/// derived from a socket (its own async_read_some / async_write_some must see the bytes:
/// a quota, a meter, a fault injector): only basic_stream_socket itself, which is what
/// its rebind_executor names.
template <class T>
concept native_stream_socket = requires(T& s) {
  typename T::protocol_type;
  { s.native_handle() } -> std::convertible_to<int>;
  { s.is_open() } -> std::convertible_to<bool>;
  { s.native_non_blocking() } -> std::convertible_to<bool>;
} && std::same_as<T, typename T::template rebind_executor<typename T::executor_type>::other>;

/// async_core: the state of one asynchronous TLS connection, at a stable address (the
/// engine's BIO and every operation in flight point at it): the next layer, the engine,
/// the bytes received but not yet taken by TLS (`in`), the bytes TLS wrote and the next
/// layer has not taken yet (`out`, and `out_flight` while a write of the next layer is in
/// flight), and the operations waiting for the next layer's read or write that another
/// operation has in flight (a read and a write may run at once, as asio allows).
template <class Flavour, class NextLayer>
struct async_core {
  using error_code = typename Flavour::error_code;

  /// waiter: an operation waiting for another's read or write of the next layer to end;
  /// resume(aborted) posts it to its executor, with `aborted` when it was cancelled.
  struct waiter {
    virtual void resume(bool aborted) = 0;
    virtual ~waiter() = default;
  };

  // The most plaintext one async_write_some takes: four records (fewer, bigger writes
  // make bulk transfers cheaper; the next layer gets them with one async_write).
  static constexpr std::size_t max_write = 4 * 16384;
  // What TLS writes for max_write bytes of plaintext (four records and their expansion).
  static constexpr std::size_t max_write_wire = 4 * (16384 + 256 + 5);
  // The input buffer while data flows: a whole TLS record fits (16 KiB of data, 256 bytes
  // of TLS 1.3 expansion, the 5-byte header), so a record never needs two reads for lack
  // of room.
  static constexpr std::size_t input_size = 16384 + 256 + 5 + 379;
  // The input buffer of an idle connection (the handshake is done and the last read
  // emptied the next layer): small records (a request, an echo, session tickets) fit; a
  // read that fills it switches to input_size for the rest. So a connection parked in
  // async_read_some holds 2 KiB here, not 17.
  static constexpr std::size_t idle_input_size = 2048;
  // An output buffer bigger than this is released once the next layer took its bytes.
  static constexpr std::size_t idle_output_keep = 4096;

  async_core(std::shared_ptr<context_impl> ctx, bool server, const wrap_options& opts, NextLayer&& nl)
      : next(std::move(nl)), eng(std::move(ctx), server), options(opts) {
    eng.attach_transport(transport_ops{this, &transport_read, &transport_write});
    eng.set_quiet_wants(true);
  }
  async_core(const async_core&) = delete;
  async_core& operator=(const async_core&) = delete;
  /// The stream is going away with operations in flight: they must not touch it again.
  /// Those waiting for another's flight are resumed as aborted; those in the next layer's
  /// operations complete as aborted when its destructor cancels them (see async_io_op).
  ~async_core() {
    *alive = false;
    if (signer_wait) signer_wait->resume(true);
    for (auto* list : {&read_waiters, &write_waiters}) {
      auto woken = std::move(*list);
      list->clear();
      for (auto& w : woken) w->resume(true);
    }
  }

  /// alive: false once the core is destroyed; every operation holds a copy.
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);

  NextLayer next;
  engine eng;
  kept_options options;

  std::unique_ptr<std::byte[]> in;  // in_size bytes (not value-initialised: reads fill them)
  std::size_t in_size = 0;
  std::size_t in_begin = 0, in_end = 0;
  bool in_eof = false;      // the next layer ended
  bool in_drained = true;   // the last read of the next layer took less than it could: nothing more was waiting
  // The errno of a direct receive (see transport_read) that failed: the operation
  // reports it as the next layer's read would have (in asio's own category), and the
  // engine never sees it.
  int read_errno = 0;

  std::vector<std::byte> out;         // written by TLS, not yet handed to the next layer
  std::vector<std::byte> out_flight;  // handed to the next layer's async_write (untouched until it ends)
  std::size_t out_flight_done = 0;    // of out_flight, the bytes a cancelled or failed write did send

  bool reading = false;  // an async_read_some of the next layer is in flight
  bool writing = false;  // an async_write of the next layer is in flight (an operation's, or flush()'s)
  bool flush_failed = false;  // a write of flush() failed: reads start no other (writes meet the error themselves)
  std::vector<std::unique_ptr<waiter>> read_waiters, write_waiters;
  // The handshake waiting for a private key signer's late answer (see async_io_op::
  // wait_for_signer), or a spent one; resumed as aborted if the stream goes first.
  std::shared_ptr<waiter> signer_wait;

  bool output_pending() const noexcept { return !out.empty() || out_flight_done < out_flight.size(); }

  /// flight_buffer: the bytes the next write of the next layer sends (what an earlier
  /// interrupted write left, else everything TLS wrote since).
  std::span<const std::byte> flight_buffer() {
    if (out_flight_done == out_flight.size()) {
      out_flight.clear();
      out_flight_done = 0;
      out_flight.swap(out);
    }
    return std::span<const std::byte>(out_flight).subspan(out_flight_done);
  }
  void end_write(std::size_t n) noexcept {
    out_flight_done += n;
    // A bulk transfer's buffer is not kept by an idle connection.
    if (out_flight_done == out_flight.size() && out_flight.capacity() > idle_output_keep) {
      std::vector<std::byte>().swap(out_flight);
      out_flight_done = 0;
    }
  }

  /// flush: hands what is queued to the next layer with a write no operation waits for:
  /// what a read queued (a key update's answer, the rest of a cancelled write) while no
  /// write was in flight. A read must not wait for it: it ends only once the peer reads,
  /// and a peer whose own write waits for us to read reads only once we do. Its completion
  /// runs on `ex`, the executor of the read that started it; it goes on with what was
  /// queued meanwhile, unless an operation waits to write (that one sends it, and meets
  /// its errors).
  template <class Executor>
  void flush(const Executor& ex) {
    writing = true;
    const auto bytes = flight_buffer();
    Flavour::async_write(next, typename Flavour::const_buffer(bytes.data(), bytes.size()),
                         Flavour::bind_executor(ex, [this, ex, alive = alive](const error_code& ec, std::size_t n) {
                           if (!*alive) return;  // the stream was destroyed meanwhile
                           writing = false;
                           end_write(n);
                           if (ec) flush_failed = true;
                           if (!write_waiters.empty()) return wake(write_waiters);
                           if (!ec && output_pending()) flush(ex);
                         }));
  }

  /// read_space: where the next read of the next layer puts its bytes: the small buffer
  /// while the connection is idle, the record-sized one while data flows.
  std::span<std::byte> read_space() {
    const std::size_t want = in_drained && eng.handshake_done() ? idle_input_size : input_size;
    if (in_begin == in_end) {
      in_begin = in_end = 0;
      if (in_size != want) resize_input(want);
    } else if (in_end == in_size || in_size < want) {
      if (in_begin > 0) {
        std::memmove(in.get(), in.get() + in_begin, in_end - in_begin);
        in_end -= in_begin;
        in_begin = 0;
      }
      if (in_end == in_size || in_size < want) resize_input(input_size);  // a record longer than the small buffer
    }
    return std::span<std::byte>(in.get() + in_end, in_size - in_end);
  }
  void end_read(std::size_t n, std::size_t offered) noexcept {
    in_end += n;
    in_drained = n < offered;
  }

 private:
  void resize_input(std::size_t size) {
    auto bigger = std::make_unique_for_overwrite<std::byte[]>(size);
    if (in_end > in_begin) std::memcpy(bigger.get(), in.get() + in_begin, in_end - in_begin);
    in_end -= in_begin;
    in_begin = 0;
    in = std::move(bigger);
    in_size = size;
  }

 public:
  /// wake: resumes the operations waiting in `list` (the flight they waited for ended).
  static void wake(std::vector<std::unique_ptr<waiter>>& list) {
    auto woken = std::move(list);
    list.clear();
    for (auto& w : woken) w->resume(false);
  }
  /// cancel_waiter: resumes `w` as cancelled, if it still waits.
  void cancel_waiter(waiter* w) {
    for (auto* list : {&read_waiters, &write_waiters}) {
      for (auto it = list->begin(); it != list->end(); ++it) {
        if (it->get() != w) continue;
        std::unique_ptr<waiter> mine = std::move(*it);
        list->erase(it);
        mine->resume(true);
        return;
      }
    }
  }

 private:
  // The engine's transport: TLS reads what the next layer delivered (would-block when
  // nothing is there yet; 0 bytes once the next layer ended) and writes into `out`.
  static std::size_t transport_read(void* p, std::span<std::byte> b, std::error_code& ec) {
    auto& c = *static_cast<async_core*>(p);
    const std::size_t have = c.in_end - c.in_begin;
    if (have == 0) {
      if constexpr (native_stream_socket<NextLayer>) {
        // While data flows (the last read found more waiting) and no read of the next
        // layer is in flight, receive straight into TLS's own buffer: a bulk transfer's
        // records are then not copied out of `in` once more. An idle connection waits in
        // the reactor as before (a receive here would only find nothing: one more call).
        if (!c.in_drained && !c.in_eof && !c.reading && c.read_errno == 0 && c.next.is_open()) {
          const auto got = ::recv(static_cast<int>(c.next.native_handle()), b.data(), b.size(), MSG_DONTWAIT);
          if (got > 0) {
            c.in_drained = static_cast<std::size_t>(got) < b.size();
            return static_cast<std::size_t>(got);
          }
          c.in_drained = true;
          if (got == 0) {
            c.in_eof = true;
            return 0;
          }
          if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            c.read_errno = errno;
        }
      }
      if (!c.in_eof) ec = std::make_error_code(std::errc::operation_would_block);
      return 0;
    }
    const std::size_t n = std::min(have, b.size());
    std::memcpy(b.data(), c.in.get() + c.in_begin, n);
    c.in_begin += n;
    return n;
  }
  static std::size_t transport_write(void* p, std::span<const std::byte> b, std::error_code&) {
    auto& c = *static_cast<async_core*>(p);
    const std::size_t offered = b.size();
    // Over a socket with nothing queued or in flight, send now: what the next layer's
    // async_write would do first, without copying the records into `out` (a bulk
    // transfer's every byte) or composing a write. What the socket does not take now is
    // queued and sent by the operation, as before.
    if constexpr (native_stream_socket<NextLayer>) {
      if (c.out.empty() && !c.writing && c.out_flight_done == c.out_flight.size() && c.next.is_open()) {
        // A send that fails (a reset, a closed peer) is not reported here: the bytes are
        // queued, and the operation's async_write meets the same error and reports it as
        // every other failure of the next layer is reported.
        const auto sent = ::send(static_cast<int>(c.next.native_handle()), b.data(), b.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (sent > 0) b = b.subspan(static_cast<std::size_t>(sent));
        if (b.empty()) return offered;
      }
    }
    // Whole records of a bulk write: one buffer for the four of an async_write_some, not
    // a chain of growing copies.
    if (b.size() > idle_output_keep && c.out.capacity() < max_write_wire && c.out.size() + b.size() <= max_write_wire)
      c.out.reserve(max_write_wire);
    c.out.insert(c.out.end(), b.begin(), b.end());
    return offered;
  }
};

/// async_step: what one call into the engine left the operation to do.
enum class async_step { done, want_read, want_signer, failed };

/// The four operations' calls into the engine. Each perform() returns the step and, when
/// failed, sets `ec` to the code the operation completes with.
template <class Flavour>
struct handshake_action {
  using error_code = typename Flavour::error_code;
  static constexpr bool has_size = false;
  template <class Core>
  async_step perform(Core& c, error_code& ec) {
    failure f;
    if (c.eng.handshake(f)) return async_step::done;
    if (f.what == failure::kind::want_read || f.what == failure::kind::want_write) return async_step::want_read;
    if (f.what == failure::kind::want_private_key_operation) return async_step::want_signer;
    ec = Flavour::from_std(f.code);
    return async_step::failed;
  }
  std::size_t size() const noexcept { return 0; }
};

template <class Flavour>
struct read_action {
  using error_code = typename Flavour::error_code;
  static constexpr bool has_size = true;
  std::span<std::byte> buffer;
  std::size_t n = 0;
  template <class Core>
  async_step perform(Core& c, error_code& ec) {
    if (buffer.empty()) return async_step::done;  // asio's rule: an empty read completes at once
    failure::kind what = failure::kind::ssl;
    std::error_code code;
    const long r = c.eng.read(buffer, c.options.suppress_ragged_eofs, [&](failure&& f) -> long {
      what = f.what;
      code = f.code;
      return -1;
    });
    if (r > 0) {
      n = static_cast<std::size_t>(r);
      return async_step::done;
    }
    if (r == 0 || what == failure::kind::zero_return) {  // close_notify, or a ragged EOF suppressed
      ec = Flavour::eof();
      return async_step::failed;
    }
    if (what == failure::kind::want_read || what == failure::kind::want_write) return async_step::want_read;
    if (what == failure::kind::want_private_key_operation) return async_step::want_signer;  // the handshake it makes
    ec = Flavour::from_std(code);
    return async_step::failed;
  }
  std::size_t size() const noexcept { return n; }
};

template <class Flavour>
struct write_action {
  using error_code = typename Flavour::error_code;
  static constexpr bool has_size = true;
  std::span<const std::byte> buffer;
  std::vector<std::byte> scratch;  // the first pieces of a buffer sequence, gathered
  std::size_t n = 0;
  template <class Core>
  async_step perform(Core& c, error_code& ec) {
    if (n > 0 || buffer.empty()) return async_step::done;  // written already (only the flush was left), or nothing to write
    failure::kind what = failure::kind::ssl;
    std::error_code code;
    const long r = c.eng.write(buffer, [&](failure&& f) -> long {
      what = f.what;
      code = f.code;
      return -1;
    });
    if (r > 0) {
      n = static_cast<std::size_t>(r);
      return async_step::done;
    }
    if (what == failure::kind::want_read || what == failure::kind::want_write) return async_step::want_read;
    if (what == failure::kind::want_private_key_operation) return async_step::want_signer;  // the handshake it makes
    ec = Flavour::from_std(code);
    return async_step::failed;
  }
  std::size_t size() const noexcept { return n; }
};

template <class Flavour>
struct shutdown_action {
  using error_code = typename Flavour::error_code;
  static constexpr bool has_size = false;
  bool wait_for_peer = false;
  template <class Core>
  async_step perform(Core& c, error_code& ec) {
    failure f;
    if (c.eng.shutdown(wait_for_peer, f) >= 0) return async_step::done;
    if (f.what == failure::kind::want_read || f.what == failure::kind::want_write) return async_step::want_read;
    ec = Flavour::from_std(f.code);
    return async_step::failed;
  }
  std::size_t size() const noexcept { return 0; }
};

/// deadline_state: what a bounded operation (async_shutdown with a timeout) shares with
/// its timer: the signal that cancels the next layer's operation in flight, and whether
/// the time ran out (or the caller cancelled) before the operation ended.
template <class Flavour, class Executor>
struct deadline_state {
  explicit deadline_state(const Executor& ex) : timer(ex) {}
  typename Flavour::template steady_timer<Executor> timer;
  typename Flavour::cancellation_signal signal;
  bool timed_out = false;
  bool cancelled = false;
  bool done = false;
};

/// async_io_op: the composed operation behind async_handshake, async_read_some,
/// async_write_some and async_shutdown: call the engine; hand what TLS wrote to the next
/// layer; when TLS wants more bytes, read them from the next layer; repeat until the
/// action is done or failed. A read or write of the next layer that another operation has
/// in flight is waited for, not doubled. An operation that ends without any I/O completes
/// through a post, never inside the initiating call.
template <class Flavour, class NextLayer, class Action>
class async_io_op {
 public:
  using error_code = typename Flavour::error_code;
  using core_type = async_core<Flavour, NextLayer>;
  using executor_type = typename NextLayer::executor_type;
  using deadline_type = deadline_state<Flavour, executor_type>;

  async_io_op(core_type& core, Action action, std::chrono::steady_clock::duration timeout = {}, bool bounded = false)
      : core_(&core), alive_(core.alive), action_(std::move(action)), timeout_(timeout), bounded_(bounded) {}

  template <class Self>
  void operator()(Self& self, error_code ec = {}, std::size_t n = 0) {
    if (!*alive_) {  // the stream was destroyed with this operation in flight
      result_ = Flavour::aborted();
      if (deadline_) {
        deadline_->done = true;
        deadline_->timer.cancel();
      }
      return complete(self);
    }
    core_type& c = *core_;
    switch (phase_) {
      case phase::start:
        if constexpr (std::is_same_v<Action, read_action<Flavour>>)
          self.reset_cancellation_state(Flavour::enable_total_cancellation());
        if (bounded_) start_deadline(self);
        break;
      case phase::writing:
        c.writing = false;
        c.end_write(n);
        core_type::wake(c.write_waiters);
        // A failed TLS step (a refused certificate) sends its alert; if that send fails
        // too, the TLS failure is the one to report.
        if (ec) return finish(self, have_step_ && step_ == async_step::failed ? result_ : ec);
        break;
      case phase::reading:
        c.reading = false;
        if (ec == Flavour::eof()) {
          c.in_eof = true;
          ec = {};
        }
        c.end_read(n, read_offered_);
        core_type::wake(c.read_waiters);
        if (ec) return finish(self, ec);
        have_step_ = false;
        break;
      case phase::waiting:
        // Not cancellable any more by the handler wait() installed (this is not inside it).
        if (deadline_) deadline_->signal.slot().clear();
        else if (auto slot = self.get_cancellation_state().slot(); slot.is_connected()) slot.clear();
        if (ec) return finish(self, ec);
        // Another operation's read may have brought bytes, or the signer answered.
        if (step_ == async_step::want_read || step_ == async_step::want_signer) have_step_ = false;
        break;
      case phase::completing:
        return complete(self);
    }
    io_done_ = io_done_ || phase_ != phase::start;

    for (;;) {
      if (!have_step_) {
        step_ = action_.perform(c, result_);
        have_step_ = true;
      }
      // A read never waits for a write, neither another operation's in flight nor its own:
      // a write may end only once the peer reads, and a peer writing to us at the same time
      // reads only once we read (a transfer both ways would stall on both sides). The
      // writer in flight sends what is queued meanwhile (a key update's answer, the rest of
      // a cancelled write) after its own bytes; with none in flight, flush() sends it while
      // the read goes on. Only a read that failed (to send its alert) and a read during the
      // handshake send the queued bytes themselves first.
      constexpr bool is_read = std::is_same_v<Action, read_action<Flavour>>;
      if (is_read && c.output_pending() && step_ != async_step::failed && c.eng.handshake_done()) {
        if (!c.writing && !c.flush_failed) c.flush(self.get_executor());
      } else if (c.output_pending() && !(is_read && c.writing)) {
        if (stopped(self)) return finish(self, Flavour::aborted());
        if (c.writing) return wait(self, c.write_waiters);
        phase_ = phase::writing;
        c.writing = true;
        const auto bytes = c.flight_buffer();
        return start_write(self, typename Flavour::const_buffer(bytes.data(), bytes.size()));
      }
      if (step_ == async_step::want_signer) {
        if (stopped(self)) return finish(self, Flavour::aborted());
        return wait_for_signer(self);
      }
      if (step_ != async_step::want_read) return finish(self, result_);
      if (c.read_errno != 0) return finish(self, Flavour::from_errno(std::exchange(c.read_errno, 0)));
      if (stopped(self)) return finish(self, Flavour::aborted());
      if (c.reading) return wait(self, c.read_waiters);
      phase_ = phase::reading;
      c.reading = true;
      const auto space = c.read_space();
      read_offered_ = space.size();
      return start_read(self, typename Flavour::mutable_buffer(space.data(), space.size()));
    }
  }

 private:
  enum class phase { start, writing, reading, waiting, completing };

  // stopped: an operation cancelled (or a bounded one whose time ran out) while it was
  // between two operations of the next layer: it does not start another. A cancellation
  // that came once the next layer's read had completed (its bytes part of a record) is
  // seen here, not lost: the read completes with operation_aborted instead of waiting for
  // the rest of the record, which stays buffered for the next read.
  template <class Self>
  bool stopped(Self& self) const noexcept {
    if (deadline_) return deadline_->timed_out || deadline_->cancelled;
    return self.get_cancellation_state().cancelled() != Flavour::cancellation_type::none;
  }

  template <class Self>
  void start_write(Self& self, typename Flavour::const_buffer b) {
    if (deadline_)
      Flavour::async_write(core_->next, b, Flavour::bind_cancellation_slot(deadline_->signal.slot(), std::move(self)));
    else
      Flavour::async_write(core_->next, b, std::move(self));
  }
  template <class Self>
  void start_read(Self& self, typename Flavour::mutable_buffer b) {
    if (deadline_)
      core_->next.async_read_some(b, Flavour::bind_cancellation_slot(deadline_->signal.slot(), std::move(self)));
    else
      core_->next.async_read_some(b, std::move(self));
  }

  template <class Self>
  struct waiter_impl final : core_type::waiter {
    explicit waiter_impl(Self&& s) : self(std::move(s)) {}
    void resume(bool aborted) override {
      if (aborted) Flavour::post_call(std::move(self), Flavour::aborted());
      else Flavour::post_call(std::move(self), error_code{});
    }
    Self self;
  };

  // wait: parks the operation until the flight it needs ends; a cancellation (or the
  // deadline) meanwhile resumes it as aborted.
  template <class Self>
  void wait(Self& self, std::vector<std::unique_ptr<typename core_type::waiter>>& list) {
    phase_ = phase::waiting;
    auto slot = deadline_ ? deadline_->signal.slot() : self.get_cancellation_state().slot();
    // Taken before `self` moves: this operation's members move with it.
    core_type* core = core_;
    auto alive = alive_;
    auto w = std::make_unique<waiter_impl<Self>>(std::move(self));
    typename core_type::waiter* raw = w.get();
    list.push_back(std::move(w));
    if (slot.is_connected())
      slot.assign([core, raw, alive = std::move(alive)](typename Flavour::cancellation_type) {
        if (*alive) core->cancel_waiter(raw);
      });
  }

  // signer_waiter: the handshake parked until its private key signer answers, which may
  // happen on any thread: the first of the answer, a cancellation and the stream's end
  // takes the operation (under the lock) and posts it to its executor.
  template <class Self>
  struct signer_waiter final : core_type::waiter {
    explicit signer_waiter(Self&& s) : self(std::move(s)) {}
    void resume(bool aborted) override {
      std::optional<Self> mine;
      {
        std::lock_guard<std::mutex> lock(m);
        if (!self) return;
        mine.emplace(std::move(*self));
        self.reset();
      }
      if (aborted) Flavour::post_call(std::move(*mine), Flavour::aborted());
      else Flavour::post_call(std::move(*mine), error_code{});
    }
    std::mutex m;
    std::optional<Self> self;
  };

  // wait_for_signer: parks the handshake until the signer answers (no thread is blocked:
  // the answer posts it back to its executor); a cancellation meanwhile resumes it as aborted.
  template <class Self>
  void wait_for_signer(Self& self) {
    const std::shared_ptr<signing_slot> pending = pending_signature(core_->eng.ssl());
    phase_ = phase::waiting;
    if (!pending) return Flavour::post_call(std::move(self), error_code{});  // answered already: go on
    auto slot = deadline_ ? deadline_->signal.slot() : self.get_cancellation_state().slot();
    auto w = std::make_shared<signer_waiter<Self>>(std::move(self));
    core_->signer_wait = w;
    if (slot.is_connected())
      slot.assign([w](typename Flavour::cancellation_type) { w->resume(true); });
    pending->on_answer([w] { w->resume(false); });
  }

  template <class Self>
  void start_deadline(Self& self) {
    deadline_ = std::make_shared<deadline_type>(core_->next.get_executor());
    auto outer = self.get_cancellation_state().slot();
    if (outer.is_connected()) {
      std::weak_ptr<deadline_type> weak = deadline_;
      outer.assign([weak](typename Flavour::cancellation_type t) {
        if (auto d = weak.lock(); d && !d->done) {
          d->cancelled = true;
          d->signal.emit(t);
        }
      });
    }
    deadline_->timer.expires_after(timeout_);
    deadline_->timer.async_wait(
        Flavour::bind_executor(self.get_executor(), [d = deadline_](const error_code& ec) {
          if (ec || d->done) return;
          d->timed_out = true;
          d->signal.emit(Flavour::terminal());
        }));
  }

  template <class Self>
  void finish(Self& self, error_code ec) {
    result_ = ec;
    if (deadline_) {
      // What cut a bounded operation short: the time limit, or the caller's cancellation.
      if (result_ && deadline_->timed_out) result_ = Flavour::timed_out();
      else if (result_ && deadline_->cancelled) result_ = Flavour::aborted();
      deadline_->done = true;
      deadline_->timer.cancel();
      if (auto outer = self.get_cancellation_state().slot(); outer.is_connected()) outer.clear();
    }
    if (!io_done_) {  // never complete inside the initiating call
      phase_ = phase::completing;
      return Flavour::post_call(std::move(self), error_code{});
    }
    complete(self);
  }

  template <class Self>
  void complete(Self& self) {
    deadline_.reset();
    if constexpr (Action::has_size)
      self.complete(result_, action_.size());
    else
      self.complete(result_);
  }

  core_type* core_;
  std::shared_ptr<bool> alive_;  // the core's: false once the stream is destroyed
  Action action_;
  std::chrono::steady_clock::duration timeout_{};
  bool bounded_ = false;
  phase phase_ = phase::start;
  bool have_step_ = false;
  bool io_done_ = false;
  std::size_t read_offered_ = 0;  // the room the read in flight was given
  async_step step_ = async_step::done;
  error_code result_{};
  std::shared_ptr<deadline_type> deadline_;
};

/// async_stream_emptied: the message for an asynchronous stream that was moved from.
struct async_stream_emptied {
  static constexpr const char* message = "sslpp asio stream: this stream holds no connection any more: it was moved from";
};

/// async_stream: the class behind sslpp::asio::stream and sslpp::boost_asio::stream (see
/// <sslpp/asio.hpp> for the documentation): an asynchronous TLS stream over `NextLayer`,
/// any AsyncReadStream and AsyncWriteStream of the flavour.
template <class Flavour, class NextLayer>
class async_stream : public connection_queries<async_stream<Flavour, NextLayer>> {
  using core_type = async_core<Flavour, NextLayer>;

 public:
  /// next_layer_type: the stream TLS runs over (a TCP socket, Beast's tcp_stream, ...).
  using next_layer_type = NextLayer;
  /// executor_type: the next layer's executor, which runs this stream's operations.
  using executor_type = typename NextLayer::executor_type;
  /// error_code: the code every operation completes with (std::error_code for standalone
  /// asio, boost::system::error_code for Boost.Asio).
  using error_code = typename Flavour::error_code;

  /// Makes a client stream for the server `host` (SNI and the host name check): a literal
  /// is checked at compile time, a run-time name goes through runtime_hostname(), and
  /// no_hostname connects without either (refused while the context's check_hostname is
  /// on). `opts.session` offers a session to resume (only for the name it was made for, by
  /// the context that made it); `opts.suppress_ragged_eofs` decides what a ragged EOF
  /// reads as; `opts.ech_config_list` offers Encrypted Client Hello. No I/O happens until
  /// the first operation. Throws std::invalid_argument on misuse, as wrap_socket does.
  template <side S>
    requires client_role<S>
  async_stream(const context<S>& ctx, NextLayer next, hostname host, wrap_options opts = {})
      : core_(std::make_unique<core_type>(context_access::impl(ctx), false, opts, std::move(next))) {
    start_client(core_->eng, host, opts.session, "the asio stream's constructor", opts.session_cache,
                 opts.ech_config_list);
    start_early_data(core_->eng, opts.early_data.text(), true);
  }
  /// Makes a server stream over an accepted connection.
  template <side S>
    requires(S == side::server)
  async_stream(const context<S>& ctx, NextLayer next, wrap_options opts = {})
      : core_(std::make_unique<core_type>(context_access::impl(ctx), true, opts, std::move(next))) {
    start_server(core_->eng, opts.session, opts.session_cache, opts.ech_config_list);
    start_early_data(core_->eng, opts.early_data.text(), false);
  }
  /// Makes a server stream with a context of either side (context_for(protocol::tls)).
  template <side S>
    requires(S == side::any)
  async_stream(const context<S>& ctx, NextLayer next, server_side_t, wrap_options opts = {})
      : core_(std::make_unique<core_type>(context_access::impl(ctx), true, opts, std::move(next))) {
    start_server(core_->eng, opts.session, opts.session_cache, opts.ech_config_list);
    start_early_data(core_->eng, opts.early_data.text(), false);
  }
  // The other side's constructors do not exist:
  template <side S>
    requires on_a_server_context<S>
  async_stream(const context<S>&, NextLayer, hostname, wrap_options = {}) = delete;  // a server_context does not connect to a host name: make the server stream with stream(server_ctx, std::move(next_layer)), or use a client_context
  template <side S>
    requires client_role<S>
  async_stream(const context<S>&, NextLayer, wrap_options = {}) = delete;  // a client must name the server: stream(ctx, std::move(next_layer), "host"), sslpp::runtime_hostname(name) or sslpp::no_hostname; a context<side::any> serves with stream(ctx, std::move(next_layer), sslpp::server_side)

  async_stream(async_stream&&) noexcept = default;
  async_stream& operator=(async_stream&&) noexcept = default;
  ~async_stream() = default;

  /// get_executor: the next layer's executor.
  executor_type get_executor() const { return core_->next.get_executor(); }
  /// next_layer: the stream TLS runs over. Reading or writing it directly corrupts the TLS
  /// stream; closing it (or cancelling it) completes the operations in flight.
  NextLayer& next_layer() { return core_->next; }
  /// next_layer: the stream TLS runs over.
  const NextLayer& next_layer() const { return core_->next; }

  /// async_handshake: runs the TLS handshake; completes with `void(error_code)`. A failed
  /// verification completes with the X509 verify code in sslpp::verify_category(), other
  /// failures with sslpp's codes (see error.hpp) or the next layer's. A context whose
  /// private_key_signer answers later parks the handshake until it does, without holding
  /// the executor's thread (the answer posts it back); a cancellation meanwhile completes
  /// it with operation_aborted, and a signer that never answers holds it until then or
  /// until the stream is destroyed.
  template <class Token = typename Flavour::template default_token<executor_type>>
  auto async_handshake(Token&& token = {}) {
    return initiate<void(error_code)>(handshake_action<Flavour>{}, std::forward<Token>(token));
  }

  /// async_read_some: reads decrypted bytes into the first non-empty buffer of `buffers`
  /// (one TLS record at most); completes with `void(error_code, std::size_t)`. At the end
  /// of the stream it completes with the flavour's error::eof — after the peer's
  /// close_notify, or after a ragged EOF (the next layer ended without close_notify)
  /// while wrap_options::suppress_ragged_eofs is on — and with sslpp::ssl_errc::eof for a
  /// ragged EOF otherwise (a truncation). Handshakes first if async_handshake was not called.
  template <class MutableBufferSequence, class Token = typename Flavour::template default_token<executor_type>>
  auto async_read_some(const MutableBufferSequence& buffers, Token&& token = {}) {
    read_action<Flavour> a;
    for (auto it = Flavour::buffer_sequence_begin(buffers); it != Flavour::buffer_sequence_end(buffers); ++it) {
      typename Flavour::mutable_buffer b(*it);
      if (b.size() == 0) continue;
      a.buffer = std::span<std::byte>(static_cast<std::byte*>(b.data()), b.size());
      break;
    }
    return initiate<void(error_code, std::size_t)>(std::move(a), std::forward<Token>(token));
  }

  /// async_write_some: encrypts and sends bytes of `buffers` (up to 64 KiB, in whole TLS
  /// records); completes with `void(error_code, std::size_t)` once the next layer took
  /// them. On failure the count is of the bytes TLS took before it (they are sent with the
  /// next operation that writes, if the connection can still carry them). Handshakes
  /// first if async_handshake was not called.
  template <class ConstBufferSequence, class Token = typename Flavour::template default_token<executor_type>>
  auto async_write_some(const ConstBufferSequence& buffers, Token&& token = {}) {
    write_action<Flavour> a;
    std::size_t total = 0;
    std::span<const std::byte> first;
    for (auto it = Flavour::buffer_sequence_begin(buffers); it != Flavour::buffer_sequence_end(buffers); ++it) {
      typename Flavour::const_buffer b(*it);
      if (b.size() == 0) continue;
      if (first.empty()) first = std::span<const std::byte>(static_cast<const std::byte*>(b.data()), b.size());
      total += b.size();
      if (total >= core_type::max_write) break;
    }
    if (first.size() < total && first.size() < 16384) {
      // Small pieces (an HTTP header, then a body) go out together, not one record each.
      a.scratch.resize(std::min(total, core_type::max_write));
      std::size_t at = 0;
      for (auto it = Flavour::buffer_sequence_begin(buffers);
           it != Flavour::buffer_sequence_end(buffers) && at < a.scratch.size(); ++it) {
        typename Flavour::const_buffer b(*it);
        const std::size_t n = std::min(b.size(), a.scratch.size() - at);
        if (n) std::memcpy(a.scratch.data() + at, b.data(), n);
        at += n;
      }
      a.buffer = std::span<const std::byte>(a.scratch);
    } else {
      a.buffer = first.first(std::min(first.size(), core_type::max_write));
    }
    return initiate<void(error_code, std::size_t)>(std::move(a), std::forward<Token>(token));
  }

  /// async_shutdown: sends close_notify and completes (`void(error_code)`) once the next
  /// layer took it, without waiting for the peer's (the peer's reads then end; close the
  /// next layer afterwards).
  template <class Token = typename Flavour::template default_token<executor_type>>
  auto async_shutdown(Token&& token = {}) {
    return initiate<void(error_code)>(shutdown_action<Flavour>{false}, std::forward<Token>(token));
  }

  /// async_shutdown: sends close_notify, then waits for the peer's at most `timeout` (the
  /// whole operation, sending included, is bounded by it), and completes
  /// (`void(error_code)`) with success when the peer's close_notify came,
  /// sslpp::ssl_errc::eof when the peer closed the connection without one,
  /// std::errc::timed_out when the time ran out — it never hangs on a peer that does not
  /// answer. Application data arriving first is an ssl error (as Python's unwrap): read
  /// to the end of the stream before, if the peer may still send some.
  template <class Rep, class Period, class Token = typename Flavour::template default_token<executor_type>>
  auto async_shutdown(std::chrono::duration<Rep, Period> timeout, Token&& token = {}) {
    return initiate<void(error_code)>(shutdown_action<Flavour>{true}, std::forward<Token>(token),
                                      std::chrono::duration_cast<std::chrono::steady_clock::duration>(timeout), true);
  }

  /// context: the context this stream was made with, as a `context<side::any>` sharing it
  /// (see stream::context).
  sslpp::context<side::any> context() const { return context_access::make<side::any>(core_->eng.context()); }

  // getpeercert, getpeercert_der, get_unverified_chain, get_verified_chain, cipher,
  // version, session, session_reused, selected_alpn_protocol, shared_ciphers, group,
  // get_channel_binding, pending, server_side, server_hostname and native_handle come
  // from detail::connection_queries, as for sslpp::stream.

 private:
  friend class connection_queries<async_stream>;

  template <class Signature, class Action, class Token>
  auto initiate(Action action, Token&& token, std::chrono::steady_clock::duration timeout = {}, bool bounded = false) {
    core_type& c = *core_;
    return Flavour::template compose<Signature>(
        async_io_op<Flavour, NextLayer, Action>(c, std::move(action), timeout, bounded), token, c.next);
  }

  const engine& checked_engine() const { return core_->eng; }
  const engine* engine_or_null() const noexcept { return core_ ? &core_.get()->eng : nullptr; }

  emptiable_ptr<core_type, async_stream_emptied> core_;
};

}  // namespace detail
SSLPP_END_NAMESPACE
