// sslpp — SPDX-License-Identifier: MIT
//
// impl/private_key_signer.ipp: the definitions of signature_completion's members. Included
// by private_key_signer.hpp in the header-only mode (SSLPP_DECL is `inline`), and compiled
// once into the sslpp_compiled library in the compiled mode (see config.hpp), so that a
// program's translation units do not parse the slot's mutex and condition variable.
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/signing_slot.hpp>
#include <sslpp/private_key_signer.hpp>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

SSLPP_BEGIN_NAMESPACE

SSLPP_DECL bool signature_completion::complete(std::vector<std::byte> signature) const {
  return slot_ && slot_->answer(true, std::move(signature), {});
}

SSLPP_DECL bool signature_completion::fail(std::string reason) const {
  return slot_ && slot_->answer(false, {}, std::move(reason));
}

SSLPP_END_NAMESPACE
