// SPDX-License-Identifier: Apache-2.0
// A stand-in for `standin serve` for the harness's own tests (tests/integration/20_harness_test.cpp):
//   standin_fake_daemon serve --root ROOT --recipes DIR [--fake-exit MODE]
// It writes ROOT/daemon.json, prints the ready line (it serves no socket), waits for SIGTERM or
// SIGINT, and then, by MODE:
//   clean  exit 0 (the default)
//   exit1  exit 1, nothing on stderr
//   asan   an AddressSanitizer report on stderr, exit 1
//   ubsan  an UndefinedBehaviorSanitizer "runtime error:" line on stderr, exit 0 (as UBSan does
//          without -fno-sanitize-recover)
//   lsan   a LeakSanitizer report on stderr, exit 0
//   segv   dies of SIGSEGV
//   hang   ignores the signal (the harness has to SIGKILL it)
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

int usage() {
    std::fputs("usage: standin_fake_daemon serve --root ROOT --recipes DIR [--fake-exit MODE]\n",
               stderr);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::string root;
    std::string mode = "clean";
    if (argc < 2 || std::strcmp(argv[1], "serve") != 0) return usage();
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--root") {
            root = argv[i + 1];
        } else if (flag == "--fake-exit") {
            mode = argv[i + 1];
        }
    }
    if (root.empty()) return usage();

    // Block the stop signals before announcing readiness, so none can be missed.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    sigprocmask(SIG_BLOCK, &stop_signals, nullptr);

    std::filesystem::create_directories(root);
    const auto socket = (std::filesystem::path{root} / "ipc.socket").string();
    std::ofstream{std::filesystem::path{root} / "daemon.json"}
        << R"({"pid":)" << ::getpid() << R"(,"socket":")" << socket
        << R"(","tokens":{"com.fake.A":"FAKETOKEN0000000000000000000000A"}})" << '\n';
    std::printf("standin ready socket=%s root=%s components=1\n", socket.c_str(), root.c_str());
    std::fflush(stdout);

    for (;;) {
        int signal = 0;
        if (sigwait(&stop_signals, &signal) != 0) return 3;
        if (mode == "hang") continue;
        break;
    }

    if (mode == "clean") return 0;
    if (mode == "exit1") return 1;
    if (mode == "asan") {
        std::fprintf(stderr,
                     "=================================================================\n"
                     "==%d==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010\n"
                     "READ of size 4 at 0x602000000010 thread T0\n"
                     "    #0 0x55d1 in standin::server::session::reader() session.cpp:120\n"
                     "SUMMARY: AddressSanitizer: heap-use-after-free session.cpp:120 in reader\n",
                     static_cast<int>(::getpid()));
        return 1;
    }
    if (mode == "ubsan") {
        std::fputs(
            "server/src/pubsub/broker.cpp:42:17: runtime error: signed integer overflow: "
            "2147483647 + 1 cannot be represented in type 'int'\n",
            stderr);
        return 0;
    }
    if (mode == "lsan") {
        std::fprintf(stderr,
                     "\n=================================================================\n"
                     "==%d==ERROR: LeakSanitizer: detected memory leaks\n\n"
                     "Direct leak of 24 byte(s) in 1 object(s) allocated from:\n"
                     "SUMMARY: AddressSanitizer: 24 byte(s) leaked in 1 allocation(s).\n",
                     static_cast<int>(::getpid()));
        return 0;
    }
    if (mode == "segv") {
        ::signal(SIGSEGV, SIG_DFL);
        ::raise(SIGSEGV);
        return 4;
    }
    std::fprintf(stderr, "standin_fake_daemon: unknown --fake-exit %s\n", mode.c_str());
    return 2;
}
