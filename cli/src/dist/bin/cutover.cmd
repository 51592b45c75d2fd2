@echo off
rem cutover: runs the Cutover command-line tool from this distribution (bin\ beside lib\).
rem Needs Java 17 or later: JAVA_HOME, else java on the PATH. JAVA_OPTS is passed to the JVM.
setlocal
set "CUTOVER_HOME=%~dp0.."
if defined JAVA_HOME (
  set "JAVA_EXE=%JAVA_HOME%\bin\java.exe"
) else (
  set "JAVA_EXE=java"
)
"%JAVA_EXE%" %JAVA_OPTS% -cp "%CUTOVER_HOME%\lib\*" io.cutover.cli.Main %*
exit /b %ERRORLEVEL%
