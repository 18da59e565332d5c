@echo off
rem Registers the emsys-rpa task (emsys-rpa-task.xml, next to this file) in Task Scheduler.
rem Run from an elevated Command Prompt, naming the Windows account the robot runs as:
rem     deploy\windows\install-task.cmd DOMAIN\svc-emsys
rem schtasks asks for that account's password (/RP *) and stores it with the task, so the
rem task runs whether or not the account is logged on. /F replaces an earlier version.
rem Run it once now:  schtasks /Run /TN "emsys-rpa\Nightly run"
rem Remove it:        schtasks /Delete /TN "emsys-rpa\Nightly run" /F
setlocal
if "%~1"=="" (
  echo usage: %~nx0 DOMAIN\account
  exit /b 2
)
schtasks /Create /TN "emsys-rpa\Nightly run" /XML "%~dp0emsys-rpa-task.xml" /RU "%~1" /RP * /F
