# SPDX-License-Identifier: Apache-2.0
# standin_test_harness: what the integration tests and the benchmarks share, without GoogleTest:
# `standin serve` as a child process in a temp root, a blocking raw eventstream-RPC client with a
# ping barrier, frame builders, file-descriptor helpers. Included by tests/support/CMakeLists.txt
# and bench/CMakeLists.txt (the benchmarks build without the tests), defined once.
include_guard(GLOBAL)

add_library(standin_test_harness STATIC
    ${CMAKE_CURRENT_LIST_DIR}/src/daemon_process.cpp
    ${CMAKE_CURRENT_LIST_DIR}/src/failure.cpp
    ${CMAKE_CURRENT_LIST_DIR}/src/fd.cpp
    ${CMAKE_CURRENT_LIST_DIR}/src/frames.cpp
    ${CMAKE_CURRENT_LIST_DIR}/src/raw_client.cpp
)
target_include_directories(standin_test_harness PUBLIC ${CMAKE_CURRENT_LIST_DIR}/include)
target_link_libraries(standin_test_harness
    PUBLIC standin::protocol nlohmann_json::nlohmann_json Threads::Threads
    PRIVATE standin_warnings)
# The daemon under test; STANDIN_EXECUTABLE in the environment overrides it at run time.
target_compile_definitions(standin_test_harness PRIVATE STANDIN_EXECUTABLE="$<TARGET_FILE:standin>")
add_dependencies(standin_test_harness standin)
