# Warnings are errors on project code only; third-party headers are included as system headers.
add_library(guiju_warnings INTERFACE)
target_compile_options(guiju_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wcast-align -Wunused -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
    -Wformat=2 -Werror>
  # GCC 12 reports -Wrestrict on std::string concatenation at -O2/-O3 (GCC bug 105651).
  $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<CXX_COMPILER_ID:GNU>>:-Wno-restrict>
  # CUDA sources: nvcc's own warnings, and the host compiler's on the host half of the code.
  $<$<COMPILE_LANGUAGE:CUDA>:--Werror=all-warnings -Xcompiler=-Wall,-Wextra,-Wshadow,-Werror>)

# The common settings of every project target: include paths from the repository root.
add_library(guiju_project INTERFACE)
target_include_directories(guiju_project INTERFACE
  ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/generated)
target_link_libraries(guiju_project INTERFACE guiju_warnings Threads::Threads)
