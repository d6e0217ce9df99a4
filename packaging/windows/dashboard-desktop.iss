; Inno Setup 6 script: a Windows installer for the one-folder PyInstaller bundle.
;
; WRITTEN, NOT RUN HERE: this project's CI is Linux only. .github/workflows/bundles.yml runs it
; on a hosted Windows runner; see docs/packaging.md.
;
; From the project folder, after scripts/build_bundle (Git Bash) has made dist\dashboard-desktop\
; and build\icons\dashboard-desktop.ico:
;
;   iscc /DAppVersion=0.1.0 packaging\windows\dashboard-desktop.iss
;
; writes dist\dashboard-desktop-0.1.0-setup.exe. Installs per user by default (no administrator
; rights; the dialog offers all users), with a Start menu entry, an optional desktop icon and an
; uninstaller. The token lives in Windows' Credential Locker, the settings and logs in the
; user's AppData: the uninstaller leaves them, as a reinstall should find them.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Dashboard Desktop"
#define AppExe "dashboard-desktop.exe"
#define Root AddBackslash(SourcePath) + "..\.."

[Setup]
; Never change AppId: Windows recognises upgrades and the uninstaller by it.
AppId={{3289C511-1396-447F-939C-88083084FE14}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Dashboard Desktop
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#Root}\dist
OutputBaseFilename=dashboard-desktop-{#AppVersion}-setup
SetupIconFile={#Root}\build\icons\dashboard-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; A running instance holds its files open: ask it to close (or close it) before replacing them.
CloseApplications=yes
RestartApplications=no

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder bundle: the program and its _internal folder.
Source: "{#Root}\dist\dashboard-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the bundle whole, so no library of an older version is left beside it.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{#AppName} (demo)"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
