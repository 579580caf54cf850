// SPDX-License-Identifier: Apache-2.0
// standin_bench_report: bench/run's last step. Reads the JSON each benchmark program wrote, derives
// the issue-11 figures (ratios against the baselines of the same run), prints them as a markdown
// table next to their targets, writes everything to --out, and prints the summary object as its
// last line. A figure whose benchmark did not produce it is null, with the reason on stderr; only
// the mosquitto ratio may be null in a run that succeeds (no broker to compare with).
#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

using json = nlohmann::ordered_json;

namespace {

// The file's JSON, or null (with a note on stderr) when it is missing or not JSON.
json read_json(const std::string& path, const char* what) {
    if (path.empty()) return nullptr;
    std::ifstream in(path);
    if (!in) {
        std::cerr << "standin_bench_report: no " << what << " results (" << path << ")\n";
        return nullptr;
    }
    try {
        return json::parse(in);
    } catch (const std::exception& e) {
        std::cerr << "standin_bench_report: " << what << " results are not JSON: " << e.what() << '\n';
        return nullptr;
    }
}

// doc[a][b]... when every step exists and the leaf is a number.
std::optional<double> number_at(const json& doc, std::initializer_list<const char*> path) {
    const json* at = &doc;
    for (const char* key : path) {
        if (!at->is_object() || !at->contains(key)) return std::nullopt;
        at = &(*at)[key];
    }
    if (!at->is_number()) return std::nullopt;
    return at->get<double>();
}

json value_or_null(std::optional<double> v) {
    return v ? json(*v) : json(nullptr);
}

std::string first_line_of(const std::string& path, const std::string& prefix) {
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(prefix, 0) == 0) {
            const auto colon = line.find(':');
            return colon == std::string::npos ? line
                                              : line.substr(line.find_first_not_of(" \t", colon + 1));
        }
    }
    return "unknown";
}

json machine() {
    utsname u{};
    ::uname(&u);
    return {{"nproc", std::thread::hardware_concurrency()},
            {"cpu_model", first_line_of("/proc/cpuinfo", "model name")},
            {"kernel", std::string{u.sysname} + " " + u.release},
            {"arch", u.machine},
            {"mem_total", first_line_of("/proc/meminfo", "MemTotal")}};
}

std::string utc_now() {
    const auto t = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

struct target {
    const char* key;
    const char* text;  // as the issue states it
    std::function<std::optional<bool>(const json&)> met;
};

std::optional<double> get(const json& s, const char* key) {
    return s.contains(key) && s[key].is_number() ? std::optional<double>{s[key].get<double>()}
                                                 : std::nullopt;
}

std::function<std::optional<bool>(const json&)> at_most(const char* key, double limit) {
    return [=](const json& s) -> std::optional<bool> {
        const auto v = get(s, key);
        if (!v) return std::nullopt;
        return *v <= limit;
    };
}

std::function<std::optional<bool>(const json&)> at_least(const char* key, double limit) {
    return [=](const json& s) -> std::optional<bool> {
        const auto v = get(s, key);
        if (!v) return std::nullopt;
        return *v >= limit;
    };
}

std::vector<target> targets() {
    return {
        {"rr_p50_ratio", "<= 1.3", at_most("rr_p50_ratio", 1.3)},
        {"fanout_ratio_vs_floor", ">= 0.8", at_least("fanout_ratio_vs_floor", 0.8)},
        {"fanout_ratio_vs_mosquitto", ">= 2.0", at_least("fanout_ratio_vs_mosquitto", 2.0)},
        {"idle_rss_kb", "<= 5000", at_most("idle_rss_kb", 5000)},
        {"load_peak_rss_kb", "<= 16000", at_most("load_peak_rss_kb", 16000)},
        {"after_load_rss_kb", "<= idle_rss_kb + 1024",
         [](const json& s) -> std::optional<bool> {
             const auto a = get(s, "after_load_rss_kb");
             const auto i = get(s, "idle_rss_kb");
             if (!a || !i) return std::nullopt;
             return *a <= *i + 1024;
         }},
        {"startup_ms", "<= 10", at_most("startup_ms", 10)},
        {"churn_rss_growth_kb", "<= 100", at_most("churn_rss_growth_kb", 100)},
        {"rss_per_connection_b", "<= 8192", at_most("rss_per_connection_b", 8192)},
        {"rss_per_subscription_b", "<= 1024", at_most("rss_per_subscription_b", 1024)},
        {"connections", "1000 held", at_least("connections", 1000)},
        {"conn_rr_p99_us", "<= 10 x floor_rr_p50_us",
         [](const json& s) -> std::optional<bool> {
             const auto p = get(s, "conn_rr_p99_us");
             const auto f = get(s, "floor_rr_p50_us");
             if (!p || !f) return std::nullopt;
             return *p <= 10 * *f;
         }},
    };
}

std::string cell(const json& v) {
    if (!v.is_number()) return "null";
    const auto d = v.get<double>();
    char text[32];
    std::snprintf(text, sizeof text, d < 10 ? "%.2f" : d < 1000 ? "%.1f" : "%.0f", d);
    return text;
}

}  // namespace

int main(int argc, char** argv) {
    std::string bench_path, footprint_path, client_path, mosquitto_path, mosquitto_note, out_path,
        mode = "full";
    double seconds = 0;
    CLI::App app{"standin_bench_report: bench/run's table, latest.json and one-line summary"};
    app.add_option("--standin-bench", bench_path, "standin_bench --json output")->required();
    app.add_option("--footprint", footprint_path, "standin_footprint_bench --json output")->required();
    app.add_option("--client-bench", client_path, "standin_client_bench --json output");
    app.add_option("--mosquitto", mosquitto_path, "standin_mosquitto_bench --json output");
    app.add_option("--mosquitto-note", mosquitto_note, "why there is no mosquitto figure");
    app.add_option("--out", out_path, "where to write the whole report (JSON)");
    app.add_option("--mode", mode, "quick or full");
    app.add_option("--seconds", seconds, "how long the benchmarks took");
    CLI11_PARSE(app, argc, argv);

    const auto bench = read_json(bench_path, "standin_bench");
    const auto footprint = read_json(footprint_path, "standin_footprint_bench");
    const auto mosq = read_json(mosquitto_path, "standin_mosquitto_bench");
    const auto client = read_json(client_path, "standin_client_bench");

    const auto rr = number_at(bench, {"metrics", "publish_rtt_p50_us", "value"});
    const auto floor_rr = number_at(bench, {"metrics", "publish_rtt_p50_us", "baseline"});
    const auto fanout = number_at(bench, {"metrics", "fanout_deliveries_per_s", "value"});
    const auto stream_floor = number_at(bench, {"metrics", "fanout_deliveries_per_s", "baseline"});
    const auto mosq_rate = number_at(mosq, {"deliveries_per_s"});
    std::optional<double> vs_mosq;
    if (fanout && mosq_rate && *mosq_rate > 0) {
        vs_mosq = *fanout / *mosq_rate;
    } else {
        std::cerr << "standin_bench_report: fanout_ratio_vs_mosquitto is null: "
                  << (mosquitto_note.empty() ? "no mosquitto figure" : mosquitto_note) << '\n';
    }
    const auto ratio = [](std::optional<double> a, std::optional<double> b) -> std::optional<double> {
        if (!a || !b || *b <= 0) return std::nullopt;
        return *a / *b;
    };

    json summary = {
        {"rr_p50_us", value_or_null(rr)},
        {"floor_rr_p50_us", value_or_null(floor_rr)},
        {"rr_p50_ratio", value_or_null(ratio(rr, floor_rr))},
        {"fanout_msgs_per_s", value_or_null(fanout)},
        {"fanout_ratio_vs_floor", value_or_null(ratio(fanout, stream_floor))},
        {"fanout_ratio_vs_mosquitto", value_or_null(vs_mosq)},
        {"connections", value_or_null(number_at(footprint, {"connections", "connections"}))},
        {"conn_rr_p99_us", value_or_null(number_at(footprint, {"connections", "conn_rr_p99_us"}))},
        {"idle_rss_kb", value_or_null(number_at(footprint, {"startup", "idle_rss_kb"}))},
        {"idle_rss_anon_kb", value_or_null(number_at(footprint, {"startup", "idle_rss_anon_kb"}))},
        {"idle_rss_file_kb", value_or_null(number_at(footprint, {"startup", "idle_rss_file_kb"}))},
        {"load_peak_rss_kb", value_or_null(number_at(footprint, {"slow", "load_peak_rss_kb"}))},
        {"after_load_rss_kb", value_or_null(number_at(footprint, {"slow", "after_load_rss_kb"}))},
        {"after_load_rss_anon_kb",
         value_or_null(number_at(footprint, {"slow", "after_load_rss_anon_kb"}))},
        {"after_load_rss_file_kb",
         value_or_null(number_at(footprint, {"slow", "after_load_rss_file_kb"}))},
        {"rss_per_connection_b",
         value_or_null(number_at(footprint, {"connections", "rss_per_connection_b"}))},
        {"rss_per_subscription_b",
         value_or_null(number_at(footprint, {"subscriptions", "rss_per_subscription_b"}))},
        {"startup_ms", value_or_null(number_at(footprint, {"startup", "startup_ms"}))},
        {"churn_rss_growth_kb", value_or_null(number_at(footprint, {"churn", "churn_rss_growth_kb"}))},
    };
    int missing = 0;
    for (const auto& [key, value] : summary.items()) {
        if (value.is_null() && key != "fanout_ratio_vs_mosquitto") {
            std::cerr << "standin_bench_report: " << key << " is missing (its benchmark failed)\n";
            ++missing;
        }
    }

    const auto m = machine();
    json checks = json::array();
    std::ostringstream table;
    table << "| figure | measured | target | met |\n| --- | ---: | --- | --- |\n";
    for (const auto& t : targets()) {
        const auto met = t.met(summary);
        checks.push_back({{"key", t.key},
                          {"target", t.text},
                          {"measured", summary[t.key]},
                          {"met", met ? json(*met) : json(nullptr)}});
        table << "| `" << t.key << "` | " << cell(summary[t.key]) << " | " << t.text << " | "
              << (met ? (*met ? "yes" : "**no**") : "n/a") << " |\n";
    }
    for (const char* key : {"rr_p50_us", "floor_rr_p50_us", "fanout_msgs_per_s"})
        table << "| `" << key << "` | " << cell(summary[key]) << " | | |\n";

    std::printf("## standin benchmarks (%s run, %s)\n\n", mode.c_str(), utc_now().c_str());
    std::printf("Machine: %s CPUs, %s, %s; other load during standin_bench: %s CPUs\n\n",
                m["nproc"].dump().c_str(), m["cpu_model"].get<std::string>().c_str(),
                m["kernel"].get<std::string>().c_str(),
                cell(bench.is_object() && bench.contains("config")
                         ? bench["config"].value("other_load_cpus", json(nullptr))
                         : json(nullptr))
                    .c_str());
    std::printf("%s\n", table.str().c_str());

    if (!out_path.empty()) {
        const json doc = {{"date", utc_now()},
                          {"mode", mode},
                          {"seconds", seconds},
                          {"machine", m},
                          {"summary", summary},
                          {"targets", checks},
                          {"mosquitto_note", mosquitto_note},
                          {"standin_bench", bench},
                          {"footprint", footprint},
                          {"client_bench", client},
                          {"mosquitto", mosq}};
        std::ofstream(out_path) << doc.dump(2) << '\n';
    }
    std::fflush(stdout);
    std::cout << summary.dump() << '\n';
    return missing == 0 ? 0 : 1;
}
