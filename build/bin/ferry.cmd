@echo off
rem `ferry`, the command line of the installed desktop app (in resources\bin\ of the app folder).
rem It runs the built CLI from app.asar.unpacked with Ferry.exe acting as Node
rem (ELECTRON_RUN_AS_NODE). Add that folder to PATH to type `ferry` anywhere.
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\Ferry.exe" "%~dp0..\app.asar.unpacked\dist\cli\ferry.mjs" %*
exit /b %ERRORLEVEL%
