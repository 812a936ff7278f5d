# Strict warnings for our own targets (not for third-party headers).
function(loopsim_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Werror
                         -Wno-error=maybe-uninitialized -Wno-restrict -Wno-stringop-overflow)
endfunction()
