# install.cmake: what `cmake --install` (and so the Debian package, package.cmake) puts where.
#   bin/mlpviz                                   the program
#   share/mlpviz/                                the data folder: assets/ without the source-only
#                                                files (README.md, desktop/); core::find_data_dir()
#                                                finds it as <exe>/../share/mlpviz
#   share/applications/<id>.desktop              desktop entry (opens sessions: Exec=mlpviz %f)
#   share/metainfo/<id>.metainfo.xml             AppStream metainfo
#   share/mime/packages/mlpviz.xml               MIME type of sessions (application/x-mlpviz-session)
#   share/icons/hicolor/scalable/apps/<id>.svg   the icon, and NxN/apps/<id>.png made from it at
#                                                build time when rsvg-convert is there
#   share/man/man1/mlpviz.1.gz                   man page, made by help2man from --help (when there)
# <id> is the AppStream id, io.github.mlpviz.mlpviz. Details and choices: docs/packaging.md.
include(GNUInstallDirs)

set(MLPVIZ_APP_ID io.github.mlpviz.mlpviz)
set(_desk ${PROJECT_SOURCE_DIR}/assets/desktop)

# The binary finds its data as <exe>/../share/mlpviz (src/core/data_dir.cpp): keep that layout.
if(NOT CMAKE_INSTALL_BINDIR STREQUAL "bin" OR NOT CMAKE_INSTALL_DATADIR STREQUAL "share")
  message(WARNING "mlpviz: CMAKE_INSTALL_BINDIR/DATADIR are not bin/share: the installed program "
                  "will not find its data folder unless MLPVIZ_DATA_DIR is set")
endif()
# cpack and `make install` install what is built; they do not build everything first (the package
# test runs after the build, and must not rebuild the benchmarks and the fuzzers).
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

install(TARGETS mlpviz RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/assets/ DESTINATION ${CMAKE_INSTALL_DATADIR}/mlpviz
        PATTERN README.md EXCLUDE PATTERN desktop EXCLUDE)

install(FILES ${_desk}/${MLPVIZ_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
configure_file(${_desk}/${MLPVIZ_APP_ID}.metainfo.xml ${PROJECT_BINARY_DIR}/desktop/${MLPVIZ_APP_ID}.metainfo.xml @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/desktop/${MLPVIZ_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${_desk}/mlpviz-session.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages RENAME mlpviz.xml)

# Icons: the hand-drawn SVG, and PNG sizes rendered from it (librsvg2-bin, offline).
install(FILES ${_desk}/${MLPVIZ_APP_ID}.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
find_program(MLPVIZ_RSVG_CONVERT rsvg-convert)
if(MLPVIZ_RSVG_CONVERT)
  set(_pngs)
  foreach(px 16 24 32 48 64 128 256)
    set(_png ${PROJECT_BINARY_DIR}/icons/${px}x${px}/${MLPVIZ_APP_ID}.png)
    add_custom_command(OUTPUT ${_png}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/icons/${px}x${px}
      COMMAND ${MLPVIZ_RSVG_CONVERT} -w ${px} -h ${px} -o ${_png} ${_desk}/${MLPVIZ_APP_ID}.svg
      DEPENDS ${_desk}/${MLPVIZ_APP_ID}.svg VERBATIM)
    list(APPEND _pngs ${_png})
    install(FILES ${_png} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${px}x${px}/apps)
  endforeach()
  add_custom_target(mlpviz_icons ALL DEPENDS ${_pngs})
else()
  message(STATUS "mlpviz: rsvg-convert not found: only the SVG icon is installed (apt install librsvg2-bin)")
endif()

# Man page: help2man runs the built program's --help, --version and each subcommand's --help
# (make_manpage.cmake); gzipped as Debian wants it.
find_program(MLPVIZ_HELP2MAN help2man)
if(MLPVIZ_HELP2MAN)
  set(_man ${PROJECT_BINARY_DIR}/man/mlpviz.1)
  add_custom_command(OUTPUT ${_man}.gz
    COMMAND ${CMAKE_COMMAND} -DMLPVIZ=$<TARGET_FILE:mlpviz> -DHELP2MAN=${MLPVIZ_HELP2MAN} -DOUT=${_man}
            -P ${PROJECT_SOURCE_DIR}/cmake/make_manpage.cmake
    DEPENDS mlpviz ${PROJECT_SOURCE_DIR}/cmake/make_manpage.cmake VERBATIM)
  add_custom_target(mlpviz_manpage ALL DEPENDS ${_man}.gz)
  install(FILES ${_man}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "mlpviz: help2man not found: no man page (apt install help2man)")
endif()
