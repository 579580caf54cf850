// SPDX-License-Identifier: Apache-2.0
// Artifacts with Unarchive: ZIP (semantics.md §10; [N] ComponentManager#prepareArtifacts,
// Unarchiver): unpacked before install into
// <root>/packages/artifacts-unarchived/<component>/<version>/<archive name without extension>/,
// which {artifacts:decompressedPath}/<name> reaches; a missing or corrupt archive fails that
// component's install until it is BROKEN, with the reason in its log and the daemon's, while the
// other components run. The archives are written by the test (libarchive), under --artifacts.
#include <unistd.h>

#include "40_lifecycle_common.hpp"
#include "standin/test/zip_writer.hpp"

namespace standin::test::integration {
namespace {

namespace fs = std::filesystem;

constexpr const char* comp_unpacks = "com.test.Unpacks";
constexpr const char* comp_corrupt = "com.test.CorruptZip";
constexpr const char* comp_missing = "com.test.MissingZip";

recipe_file zip_recipe(const std::string& name, const std::string& archive, json lifecycle) {
    const json recipe = {
        {"RecipeFormatVersion", "2020-01-25"},
        {"ComponentName", name},
        {"ComponentVersion", "1.0.0"},
        {"Manifests",
         json::array({{{"Platform", {{"os", "linux"}}},
                       {"Artifacts", json::array({{{"URI", "s3://bucket/artifacts/" + archive},
                                                   {"Unarchive", "zip"}}})},
                       {"Lifecycle", std::move(lifecycle)}}})}};
    return {name + ".json", recipe.dump(2)};
}

class ArtifactUnpacking : public IntegrationTest {
protected:
    daemon_config config() override {
        artifacts_ = fs::temp_directory_path() /
                     ("standin-artifacts-" + std::to_string(::getpid()) + "-" +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(artifacts_);
        write_zip(artifacts_ / comp_unpacks / "1.0.0" / "app.zip",
                  {zip_file("bin/run.sh", "echo \"run says $(cat \"$1\")\"\n", 0755),
                   zip_file("hello.txt", "hello from the zip")});
        fs::create_directories(artifacts_ / comp_corrupt / "1.0.0");
        std::ofstream{artifacts_ / comp_corrupt / "1.0.0" / "broken.zip"} << "PK\x03\x04 not a zip";

        daemon_config c;
        c.recipes = {admin_recipe(),
                     zip_recipe(comp_unpacks, "app.zip",
                                {{"Install", "cat {artifacts:decompressedPath}/app/hello.txt; echo"},
                                 {"Run",
                                  "sh {artifacts:decompressedPath}/app/bin/run.sh "
                                  "{artifacts:decompressedPath}/app/hello.txt"}}),
                     zip_recipe(comp_corrupt, "broken.zip", {{"Run", "echo never runs"}}),
                     zip_recipe(comp_missing, "absent.zip", {{"Run", "echo never runs"}})};
        c.extra_args = {"--artifacts", artifacts_.string()};
        c.launch_components = true;
        return c;
    }
    void TearDown() override {
        IntegrationTest::TearDown();
        fs::remove_all(artifacts_);
    }

    fs::path log_of(const std::string& component) {
        return daemon().root() / "logs" / (component + ".log");
    }

    fs::path artifacts_;
};

TEST_F(ArtifactUnpacking, AZipIsUnpackedBeforeInstallWhereDecompressedPathLeads) {
    ASSERT_TRUE(wait_for_text(log_of(comp_unpacks), "STOPPING -> FINISHED"))
        << file_text(log_of(comp_unpacks));
    const auto log = file_text(log_of(comp_unpacks));
    const auto unarchived =
        daemon().root() / "packages" / "artifacts-unarchived" / comp_unpacks / "1.0.0" / "app";
    EXPECT_TRUE(fs::is_regular_file(unarchived / "hello.txt"));
    EXPECT_NE(log.find("unpacked " + (artifacts_ / comp_unpacks / "1.0.0" / "app.zip").string() +
                       " into " + unarchived.string() + " (2 written, 0 unchanged)"),
              std::string::npos)
        << log;
    EXPECT_LT(log.find("unpacked "), log.find("[install] hello from the zip")) << log;
    EXPECT_NE(log.find("[run] run says hello from the zip"), std::string::npos) << log;

    // A restart does not install again; a daemon started again on the same root unpacks nothing new
    // (covered by the unit tests: an unchanged archive writes nothing).
    auto admin = connected(comp_admin);
    EXPECT_EQ(state_of(admin, comp_unpacks), "FINISHED");
}

TEST_F(ArtifactUnpacking, ACorruptOrMissingArchiveBreaksOnlyItsComponent) {
    ASSERT_TRUE(wait_for_text(log_of(comp_corrupt), "-> BROKEN")) << file_text(log_of(comp_corrupt));
    ASSERT_TRUE(wait_for_text(log_of(comp_missing), "-> BROKEN")) << file_text(log_of(comp_missing));
    ASSERT_TRUE(wait_for_text(log_of(comp_unpacks), "STOPPING -> FINISHED"));

    const auto corrupt = file_text(log_of(comp_corrupt));
    EXPECT_NE(corrupt.find("install failed: artifact s3://bucket/artifacts/broken.zip: cannot unpack " +
                           (artifacts_ / comp_corrupt / "1.0.0" / "broken.zip").string() + ": "),
              std::string::npos)
        << corrupt;
    EXPECT_EQ(corrupt.find("never runs"), std::string::npos) << corrupt;
    EXPECT_FALSE(fs::exists(daemon().root() / "packages" / "artifacts-unarchived" / comp_corrupt /
                            "1.0.0" / "broken"));

    const auto missing = file_text(log_of(comp_missing));
    EXPECT_NE(
        missing.find("install failed: artifact s3://bucket/artifacts/absent.zip (Unarchive ZIP): " +
                     (artifacts_ / comp_missing / "1.0.0" / "absent.zip").string() + " does not exist"),
        std::string::npos)
        << missing;
    // The daemon's log says it too.
    EXPECT_NE(daemon().stderr_text().find("com.test.MissingZip: install failed: artifact"),
              std::string::npos);

    auto admin = connected(comp_admin);
    EXPECT_EQ(state_of(admin, comp_corrupt), "BROKEN");
    EXPECT_EQ(state_of(admin, comp_missing), "BROKEN");
    EXPECT_EQ(state_of(admin, comp_unpacks), "FINISHED");
}

}  // namespace
}  // namespace standin::test::integration
