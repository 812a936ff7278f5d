# Strict warnings for our own targets (not for third-party headers).
function(loopsim_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Werror
                         -Wno-error=maybe-uninitialized -Wno-restrict -Wno-stringop-overflow -Wno-stringop-overread)
  if(LOOPSIM_SANITIZE)
    # With sanitizers GCC 12 reports false "used uninitialized" warnings inside Boost.Graph
    # headers inlined into our code; keep them as warnings there.
    target_compile_options(${target} PRIVATE -Wno-error=uninitialized)
  endif()
endfunction()
