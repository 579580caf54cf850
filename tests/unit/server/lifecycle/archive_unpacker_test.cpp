// SPDX-License-Identifier: Apache-2.0
// unpack_zip on ZIP files the tests write with libarchive: the layout, what a second unpack leaves
// alone, and every way out of the target folder refused with the folder removed.
#include "lifecycle/archive_unpacker.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "standin/test/zip_writer.hpp"

namespace standin::server::lifecycle {
namespace {

namespace fs = std::filesystem;
using test::write_zip;
using test::zip_directory;
using test::zip_file;
using test::zip_symlink;

std::string text_of(const fs::path& file) {
    std::ifstream in{file, std::ios::binary};
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

class ArchiveUnpacker : public ::testing::Test {
protected:
    void SetUp() override {
        base_ = fs::temp_directory_path() /
                ("standin-unpack-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(base_);
        fs::create_directories(base_);
    }
    void TearDown() override { fs::remove_all(base_); }

    fs::path zip() const { return base_ / "app.zip"; }
    fs::path into() const { return base_ / "unarchived" / "app"; }
    fs::path outside() const { return base_ / "outside"; }

    fs::path base_;
};

TEST_F(ArchiveUnpacker, UnpacksFilesFoldersModesAndLinksInside) {
    write_zip(zip(), {zip_directory("bin/"), zip_file("bin/run.sh", "#!/bin/sh\necho hi\n", 0755),
                      zip_file("lib/data.txt", "data"), zip_symlink("current", "lib/data.txt")});
    const auto outcome = unpack_zip(zip(), into());
    ASSERT_FALSE(outcome.error) << *outcome.error;
    EXPECT_EQ(outcome.written, 4u);
    EXPECT_EQ(text_of(into() / "bin" / "run.sh"), "#!/bin/sh\necho hi\n");
    EXPECT_NE(fs::status(into() / "bin" / "run.sh").permissions() & fs::perms::owner_exec,
              fs::perms::none);
    EXPECT_EQ(text_of(into() / "lib" / "data.txt"), "data");  // its folder made though not listed
    ASSERT_TRUE(fs::is_symlink(into() / "current"));
    EXPECT_EQ(text_of(into() / "current"), "data");
}

TEST_F(ArchiveUnpacker, AnUnchangedArchiveWritesNothingAndAChangedFileIsWrittenAgain) {
    write_zip(zip(), {zip_file("a.txt", "one"), zip_file("b.txt", "two")});
    ASSERT_FALSE(unpack_zip(zip(), into()).error);
    auto again = unpack_zip(zip(), into());
    ASSERT_FALSE(again.error);
    EXPECT_EQ(again.written, 0u);
    EXPECT_EQ(again.unchanged, 2u);

    // Same size, new time (the nucleus's size test alone would miss it), and a new size.
    auto a = zip_file("a.txt", "ONE");
    a.mtime += 10;
    write_zip(zip(), {a, zip_file("b.txt", "three")});
    again = unpack_zip(zip(), into());
    ASSERT_FALSE(again.error);
    EXPECT_EQ(again.written, 2u);
    EXPECT_EQ(text_of(into() / "a.txt"), "ONE");
    EXPECT_EQ(text_of(into() / "b.txt"), "three");

    // A file the component changed is put back.
    std::ofstream{into() / "b.txt"} << "edited by hand";
    again = unpack_zip(zip(), into());
    EXPECT_EQ(again.written, 1u);
    EXPECT_EQ(text_of(into() / "b.txt"), "three");
}

void expect_refused(const fs::path& zip, const fs::path& into, const fs::path& outside,
                    const std::string& message) {
    const auto outcome = unpack_zip(zip, into);
    ASSERT_TRUE(outcome.error);
    EXPECT_NE(outcome.error->find(message), std::string::npos) << *outcome.error;
    EXPECT_NE(outcome.error->find(zip.string()), std::string::npos) << *outcome.error;
    EXPECT_FALSE(fs::exists(into)) << "the folder is removed after a failure";
    EXPECT_FALSE(fs::exists(outside)) << "nothing written outside";
}

TEST_F(ArchiveUnpacker, RefusesADotDotEntry) {
    write_zip(zip(), {zip_file("ok.txt", "fine"), zip_file("../../outside", "evil")});
    expect_refused(zip(), into(), outside(), "entry '../../outside' is outside the target folder");
}

TEST_F(ArchiveUnpacker, RefusesADotDotInTheMiddle) {
    write_zip(zip(), {zip_file("a/../../../outside", "evil")});
    expect_refused(zip(), into(), outside(), "entry 'a/../../../outside' is outside the target folder");
}

TEST_F(ArchiveUnpacker, RefusesAnAbsoluteEntry) {
    const auto absolute = outside().string();
    write_zip(zip(), {zip_file(absolute, "evil")});
    expect_refused(zip(), into(), outside(), "entry '" + absolute + "' is outside the target folder");
}

TEST_F(ArchiveUnpacker, RefusesALinkToAnAbsolutePath) {
    write_zip(zip(), {zip_symlink("passwd", "/etc/passwd")});
    expect_refused(zip(), into(), outside(), "entry 'passwd' is a symbolic link to '/etc/passwd'");
}

TEST_F(ArchiveUnpacker, RefusesALinkThatLeadsOut) {
    write_zip(zip(), {zip_symlink("up", "../../outside")});
    expect_refused(zip(), into(), outside(), "entry 'up' is a symbolic link that leads outside");
}

TEST_F(ArchiveUnpacker, RefusesLinksThatLeadOutOnlyTogether) {
    // Each looks harmless on its own: d/u is the folder itself, t climbs from d/u.
    write_zip(zip(), {zip_directory("d/"), zip_symlink("d/u", ".."), zip_symlink("t", "d/u/../..")});
    expect_refused(zip(), into(), outside(), "entry 't' is a symbolic link that leads outside");
}

TEST_F(ArchiveUnpacker, NeverWritesThroughALink) {
    fs::create_directories(outside());
    write_zip(zip(), {zip_symlink("out", "../../outside"), zip_file("out/planted", "evil")});
    const auto outcome = unpack_zip(zip(), into());
    ASSERT_TRUE(outcome.error);
    EXPECT_FALSE(fs::exists(outside() / "planted"));
    EXPECT_FALSE(fs::exists(into()));
}

TEST_F(ArchiveUnpacker, ACorruptArchiveIsAnErrorNamingIt) {
    std::ofstream{zip(), std::ios::binary} << "PK\x03\x04 this is not really a zip file at all";
    const auto outcome = unpack_zip(zip(), into());
    ASSERT_TRUE(outcome.error);
    EXPECT_NE(outcome.error->find("cannot unpack " + zip().string() + ": "), std::string::npos)
        << *outcome.error;
    EXPECT_FALSE(fs::exists(into()));
}

TEST_F(ArchiveUnpacker, NotAZipAtAllIsAnError) {
    std::ofstream{zip(), std::ios::binary} << "plain text\n";
    const auto outcome = unpack_zip(zip(), into());
    ASSERT_TRUE(outcome.error);
    EXPECT_FALSE(fs::exists(into()));
}

TEST_F(ArchiveUnpacker, AMissingArchiveIsAnError) {
    const auto outcome = unpack_zip(base_ / "missing.zip", into());
    ASSERT_TRUE(outcome.error);
    EXPECT_NE(outcome.error->find("missing.zip: no such file"), std::string::npos) << *outcome.error;
}

}  // namespace
}  // namespace standin::server::lifecycle
