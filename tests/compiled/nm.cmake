# nm.cmake: what the compiled-mode checks (check_*.cmake) read from an object file's
# symbols, through `nm -C`.
#   nm_output(<obj> <out>)                    the whole listing
#   nm_symbols(<obj> <kinds> <pattern> <out>) its lines whose symbol kind matches the
#       character class <kinds> ("[TtWw]": defined here, "U": referred to) and whose name
#       contains a match of <pattern>
#   backend_calls(<obj> <out>)                the backend (BoringSSL) functions it calls
function(nm_output obj out)
  execute_process(COMMAND nm -C "${obj}" OUTPUT_VARIABLE _nm RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "nm ${obj} failed")
  endif()
  set(${out} "${_nm}" PARENT_SCOPE)
endfunction()

function(nm_symbols obj kinds pattern out)
  nm_output("${obj}" _nm)
  string(REGEX MATCHALL "[^\n]* ${kinds} [^\n]*(${pattern})[^\n]*" _lines "${_nm}")
  set(${out} "${_lines}" PARENT_SCOPE)
endfunction()

function(backend_calls obj out)
  nm_output("${obj}" _nm)
  string(REGEX MATCHALL "[^\n]* U (X509|PEM|ERR|BIO|EVP|OPENSSL|CRYPTO|SSL|ASN1|i2d|d2i)_[^\n]*" _l "${_nm}")
  set(${out} "${_l}" PARENT_SCOPE)
endfunction()
