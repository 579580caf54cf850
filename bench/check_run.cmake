# SPDX-License-Identifier: Apache-2.0
# The CTest check of bench/run (label `bench`): runs `bench/run --quick --no-build` on the build
# tree under test (a nested Release build inside a test would take minutes of two shared CPUs, so
# it measures that tree's programs, sanitized or not: the figures are not the point here) and
# requires exit code 0 and, as the last line of stdout, a JSON object in which every issue-11 key is
# a number. Only fanout_ratio_vs_mosquitto may be null (no libmosquitto or broker on the machine).
#
#   cmake -DSOURCE_DIR=... -DBUILD_DIR=... -DOUT=... -P check_run.cmake
cmake_minimum_required(VERSION 3.25)
set(keys rr_p50_us floor_rr_p50_us rr_p50_ratio fanout_msgs_per_s fanout_ratio_vs_floor
    fanout_ratio_vs_mosquitto connections conn_rr_p99_us idle_rss_kb load_peak_rss_kb
    after_load_rss_kb rss_per_connection_b rss_per_subscription_b startup_ms churn_rss_growth_kb)
set(nullable fanout_ratio_vs_mosquitto)

execute_process(
    COMMAND ${SOURCE_DIR}/bench/run --quick --no-build --build-dir ${BUILD_DIR} --out ${OUT}
    WORKING_DIRECTORY ${SOURCE_DIR}
    OUTPUT_VARIABLE out
    RESULT_VARIABLE rc)
message("${out}")
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "bench/run --quick exited with ${rc}")
endif()

string(STRIP "${out}" out)
string(REGEX MATCH "[^\n]*$" last "${out}")
string(JSON type ERROR_VARIABLE error TYPE "${last}")
if(error OR NOT type STREQUAL "OBJECT")
    message(FATAL_ERROR "the last line is not a JSON object: ${last}")
endif()
foreach(key ${keys})
    string(JSON type ERROR_VARIABLE error TYPE "${last}" ${key})
    if(error)
        message(FATAL_ERROR "the summary lacks ${key}: ${last}")
    endif()
    if(type STREQUAL "NULL" AND key IN_LIST nullable)
        message(STATUS "${key} is null (allowed: see bench/run's stderr for why)")
    elseif(NOT type STREQUAL "NUMBER")
        message(FATAL_ERROR "${key} is ${type}, not a number: ${last}")
    endif()
endforeach()
message(STATUS "bench/run --quick: every summary key present")
