// SPDX-License-Identifier: Apache-2.0
#include "recipes/recipe_artifacts.hpp"

#include <gtest/gtest.h>

namespace standin::server {
namespace {

TEST(RecipeArtifacts, ReadsUrisFileNamesAndUnarchiveCaseInsensitively) {
    const auto read =
        read_recipe_artifacts({{"Artifacts",
                                {{{"URI", "s3://bucket/a/b/app.zip"}, {"Unarchive", "ZIP"}},
                                 {{"uri", "greengrass:lib.zip"}, {"unArchive", "zip"}},
                                 {{"Uri", "s3://bucket/run.sh"}},
                                 {{"URI", "s3://bucket/x.zip"}, {"Unarchive", "none"}}}}});
    ASSERT_TRUE(read.problems.empty());
    ASSERT_EQ(read.artifacts.size(), 4u);
    EXPECT_EQ(read.artifacts[0].file_name, "app.zip");
    EXPECT_EQ(read.artifacts[0].unarchive, unarchive_method::zip);
    EXPECT_EQ(read.artifacts[1].file_name, "lib.zip");
    EXPECT_EQ(read.artifacts[1].unarchive, unarchive_method::zip);
    EXPECT_EQ(read.artifacts[2].file_name, "run.sh");
    EXPECT_EQ(read.artifacts[2].unarchive, unarchive_method::none);  // NONE by default
    EXPECT_EQ(read.artifacts[3].unarchive, unarchive_method::none);
}

TEST(RecipeArtifacts, NoManifestOrNoArtifactsIsNothing) {
    EXPECT_TRUE(read_recipe_artifacts(nullptr).artifacts.empty());
    EXPECT_TRUE(read_recipe_artifacts({{"Lifecycle", nlohmann::json::object()}}).artifacts.empty());
}

TEST(RecipeArtifacts, EntriesTheNucleusCannotReadAreProblems) {
    const auto read = read_recipe_artifacts(
        {{"Artifacts", {{{"Unarchive", "ZIP"}}, {{"URI", "s3://b/a.tar"}, {"Unarchive", "TAR"}}}}});
    EXPECT_TRUE(read.artifacts.empty());
    ASSERT_EQ(read.problems.size(), 2u);
    EXPECT_EQ(read.problems[0], "artifact 0 has no URI");
    EXPECT_EQ(read.problems[1], "artifact 1 (s3://b/a.tar): Unarchive 'TAR' is neither ZIP nor NONE");
    EXPECT_EQ(read_recipe_artifacts({{"Artifacts", "x"}}).problems.size(), 1u);
}

TEST(RecipeArtifacts, PermissionsAndTheModesTheyGive) {
    const auto read = read_recipe_artifacts(
        {{"Artifacts",
          {{{"URI", "s3://b/a.zip"}},
           {{"URI", "s3://b/b.zip"}, {"Permission", {{"read", "all"}, {"Execute", "OWNER"}}}},
           {{"URI", "s3://b/c.zip"}, {"Permission", {{"Execute", "ALL"}}}},
           {{"URI", "s3://b/d.zip"}, {"Permission", {{"Read", "NONE"}}}}}}});
    ASSERT_EQ(read.artifacts.size(), 4u);
    EXPECT_EQ(read.artifacts[0].read, permission_type::owner);
    EXPECT_EQ(read.artifacts[0].execute, permission_type::none);
    EXPECT_EQ(read.artifacts[1].read, permission_type::all);
    EXPECT_EQ(read.artifacts[1].execute, permission_type::owner);
    EXPECT_EQ(read.artifacts[2].read, permission_type::owner);  // the default fills in
    EXPECT_EQ(read.artifacts[2].execute, permission_type::all);
    // Permission#toFileSystemPermission, plus owner write for a nucleus that is not root.
    EXPECT_EQ(artifact_file_mode(read.artifacts[0], true), 0440u);
    EXPECT_EQ(artifact_file_mode(read.artifacts[0], false), 0640u);
    EXPECT_EQ(artifact_file_mode(read.artifacts[1], true), 0554u);
    EXPECT_EQ(artifact_file_mode(read.artifacts[2], true), 0555u);
    EXPECT_EQ(artifact_file_mode(read.artifacts[3], true), 0400u);
}

TEST(RecipeArtifacts, TheUnarchivedFolderIsTheFileNameWithoutItsLastExtension) {
    EXPECT_EQ(unarchived_folder_name("app.zip"), "app");
    EXPECT_EQ(unarchived_folder_name("web.app.zip"), "web.app");
    EXPECT_EQ(unarchived_folder_name("app"), "app");
    EXPECT_EQ(unarchived_folder_name(".app.zip"), ".app.zip");  // the first dot leads
}

}  // namespace
}  // namespace standin::server
