# The Debian package (CPack, DEB): `cpack -G DEB` in the build directory, after a Release build.
# It holds what `cmake --install` installs, under /usr: the programs, the strategy SDK and its CMake
# package, the sample strategies, the systemd units and sysusers.d entry, example configs and the
# documentation. Paths stay relative to the prefix so that `cmake --install --prefix DIR` (the SDK
# test, a developer's own prefix) never writes outside DIR; under /usr the units land in
# /usr/lib/systemd/system, where systemd looks (and where /lib/systemd/system points on a
# merged-/usr Debian 12).

install(FILES deploy/systemd/guiju.service deploy/systemd/guiju-inferd.service
        DESTINATION lib/systemd/system COMPONENT runtime)
install(FILES deploy/sysusers.d/guiju.conf DESTINATION lib/sysusers.d COMPONENT runtime)
install(FILES configs/live.yaml configs/paper.yaml configs/paper-fix.yaml configs/replay.yaml
              configs/demo.yaml configs/venue.yaml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/guiju/examples COMPONENT runtime)
install(DIRECTORY configs/fix/ DESTINATION ${CMAKE_INSTALL_DATADIR}/guiju/examples/fix
        COMPONENT runtime)
install(FILES README.md deploy/tuning.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
install(FILES deploy/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME deploy.md
        COMPONENT runtime)
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime
        FILES_MATCHING PATTERN "*.md")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME guiju)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "Guiju")
set(CPACK_PACKAGE_CONTACT "Guiju maintainers <guiju@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Event-driven trading engine with pre-trade rules and a tamper-evident audit journal")
set(CPACK_PACKAGE_DESCRIPTION
    "guiju runs live, paper and replay trading of strategy plugins through pre-trade risk checks, "
    "writing every decision to a hash-chained journal; guiju-inferd serves ONNX models to it. "
    "Includes the strategy SDK, systemd units and example configs.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends from the binaries' own needs (dpkg-shlibdeps): libquickfix, libzmq5, libyaml-cpp,
# libprotobuf, libssl3, libspdlog, libfmt ... exactly what was linked, with versions.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "chrony | linuxptp")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_SOURCE_DIR}/deploy/debian/postinst
    ${CMAKE_CURRENT_SOURCE_DIR}/deploy/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
