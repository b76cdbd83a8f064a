# Writes OUT, a C++ source defining `const char* const NAME` = the text of IN (a raw string
# literal), so a Python file ships inside the binary. Run with cmake -DIN= -DOUT= -DNAME= -P.
file(READ "${IN}" text)
string(FIND "${text}" ")PYSRC\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw-string delimiter )PYSRC\"")
endif()
set(content "// Generated from ${IN} by cmake/embed_text.cmake; do not edit.\nextern const char* const ${NAME};\nconst char* const ${NAME} = R\"PYSRC(${text})PYSRC\";\n")
file(WRITE "${OUT}.tmp" "${content}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
