# Included by the top-level CMakeLists.txt when QUANZE_FUZZ=ON, before src/:
# every library is compiled with libFuzzer's coverage instrumentation and
# ASan+UBSan, so the fuzz targets in this folder see inside the code they
# call. Only clang has libFuzzer (Debian 12: clang-14, libclang-rt-14-dev);
# `make fuzz` configures build/fuzz with CC=clang-14 CXX=clang++-14.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "QUANZE_FUZZ=ON needs clang (libFuzzer); configure with "
                      "CC=clang-14 CXX=clang++-14, as `make fuzz` does")
endif()
set(QUANZE_SANITIZERS address,undefined)
add_compile_options(-fsanitize=fuzzer-no-link,${QUANZE_SANITIZERS} -fno-sanitize-recover=all
                    -fno-omit-frame-pointer)
add_link_options(-fsanitize=${QUANZE_SANITIZERS})
