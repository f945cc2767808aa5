# guiju_add_strategy(<target> OUTPUT_NAME <name> SOURCES <files...>)
#
# Declares a strategy plugin: a shared module <name>.so built against the SDK, exporting only
# its entry symbol (everything else hidden, so two plugins never clash), with every symbol
# resolved at link time (an undefined one is a build error, not a load-time surprise).
# Used in this tree and, installed with the SDK, by find_package(guiju).
function(guiju_add_strategy target)
  cmake_parse_arguments(ARG "" "OUTPUT_NAME" "SOURCES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "guiju_add_strategy(${target}): SOURCES is required")
  endif()
  if(NOT ARG_OUTPUT_NAME)
    set(ARG_OUTPUT_NAME ${target})
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE guiju::sdk)
  target_compile_features(${target} PRIVATE cxx_std_17)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${ARG_OUTPUT_NAME}
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    target_link_options(${target} PRIVATE "LINKER:--no-undefined")
  endif()
endfunction()
