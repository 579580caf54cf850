// SPDX-License-Identifier: Apache-2.0
// prepare_artifacts: which artifacts are unpacked, where, and what fails a component's install.
#include "lifecycle/artifact_preparation.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "standin/test/zip_writer.hpp"

namespace standin::server::lifecycle {
namespace {

namespace fs = std::filesystem;

class ArtifactPreparation : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() /
                ("standin-prepare-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root_);
        paths_ = paths_in(root_, std::nullopt, "com.example.App", "1.0.0", {});
        fs::create_directories(paths_.artifacts);
    }
    void TearDown() override { fs::remove_all(root_); }

    static recipe_artifacts artifacts(nlohmann::json list) {
        return read_recipe_artifacts({{"Artifacts", std::move(list)}});
    }

    fs::path root_;
    component_paths paths_;
};

TEST_F(ArtifactPreparation, UnpacksEachZipIntoAFolderNamedAfterItUnderTheDecompressedPath) {
    test::write_zip(paths_.artifacts / "web.app.zip", {test::zip_file("index.js", "js")});
    test::write_zip(paths_.artifacts / "other.zip", {test::zip_file("x", "x")});
    std::ofstream{paths_.artifacts / "plain.zip"} << "left packed";
    const auto outcome =
        prepare_artifacts(artifacts({{{"URI", "s3://bucket/path/web.app.zip"}, {"Unarchive", "ZIP"}},
                                     {{"uri", "greengrass:other.zip"}, {"unarchive", "zip"}},
                                     {{"URI", "s3://bucket/plain.zip"}}}),
                          paths_);
    ASSERT_FALSE(outcome.error) << *outcome.error;
    EXPECT_EQ(paths_.decompressed_artifacts,
              root_ / "packages" / "artifacts-unarchived" / "com.example.App" / "1.0.0");
    EXPECT_TRUE(fs::is_regular_file(paths_.decompressed_artifacts / "web.app" / "index.js"));
    EXPECT_TRUE(fs::is_regular_file(paths_.decompressed_artifacts / "other" / "x"));
    EXPECT_FALSE(fs::exists(paths_.decompressed_artifacts / "plain"));
    ASSERT_EQ(outcome.notes.size(), 2u);
    EXPECT_NE(outcome.notes[0].find("(1 written, 0 unchanged)"), std::string::npos) << outcome.notes[0];
}

TEST_F(ArtifactPreparation, UnpackedFilesGetTheArtifactsPermissionNotTheArchivesModes) {
    test::write_zip(paths_.artifacts / "app.zip",
                    {test::zip_file("bin/run.sh", "echo", 0755), test::zip_file("data", "d", 0666)});
    test::write_zip(paths_.artifacts / "tools.zip", {test::zip_file("tool.sh", "echo", 0600)});
    const auto outcome =
        prepare_artifacts(artifacts({{{"URI", "s3://b/app.zip"}, {"Unarchive", "ZIP"}},
                                     {{"URI", "s3://b/tools.zip"},
                                      {"Unarchive", "ZIP"},
                                      {"Permission", {{"Read", "ALL"}, {"Execute", "ALL"}}}}}),
                          paths_);
    ASSERT_FALSE(outcome.error) << *outcome.error;
    const auto mode = [](const fs::path& p) {
        return static_cast<unsigned>(fs::status(p).permissions()) & 0777u;
    };
    const unsigned owner_write = ::geteuid() == 0 ? 0 : 0200;
    EXPECT_EQ(mode(paths_.decompressed_artifacts / "app" / "bin" / "run.sh"), 0440u | owner_write);
    EXPECT_EQ(mode(paths_.decompressed_artifacts / "app" / "data"), 0440u | owner_write);
    EXPECT_EQ(mode(paths_.decompressed_artifacts / "app" / "bin"), 0755u);
    EXPECT_EQ(mode(paths_.decompressed_artifacts / "tools" / "tool.sh"), 0555u | owner_write);
}

TEST_F(ArtifactPreparation, AMissingArchiveFailsNamingTheFileAndTheFolder) {
    const auto outcome =
        prepare_artifacts(artifacts({{{"URI", "s3://bucket/app.zip"}, {"Unarchive", "ZIP"}}}), paths_);
    ASSERT_TRUE(outcome.error);
    EXPECT_NE(outcome.error->find("artifact s3://bucket/app.zip (Unarchive ZIP): " +
                                  (paths_.artifacts / "app.zip").string() + " does not exist"),
              std::string::npos)
        << *outcome.error;
}

TEST_F(ArtifactPreparation, ACorruptArchiveFailsNamingTheArtifact) {
    std::ofstream{paths_.artifacts / "app.zip"} << "garbage";
    const auto outcome =
        prepare_artifacts(artifacts({{{"URI", "s3://bucket/app.zip"}, {"Unarchive", "ZIP"}}}), paths_);
    ASSERT_TRUE(outcome.error);
    EXPECT_NE(outcome.error->find("artifact s3://bucket/app.zip: cannot unpack"), std::string::npos)
        << *outcome.error;
}

TEST_F(ArtifactPreparation, ABadUnarchiveValueFailsFirst) {
    const auto outcome =
        prepare_artifacts(artifacts({{{"URI", "s3://bucket/app.tgz"}, {"Unarchive", "TAR"}}}), paths_);
    ASSERT_TRUE(outcome.error);
    EXPECT_EQ(
        *outcome.error,
        "recipe Artifacts: artifact 0 (s3://bucket/app.tgz): Unarchive 'TAR' is neither ZIP nor NONE");
}

}  // namespace
}  // namespace standin::server::lifecycle
