; Inno Setup 6 script: per-machine install of the one-folder build (dist\gakuseki) on Windows.
; Build on a Windows machine: see packaging/README.md. Cannot be built on the Linux CI.

#define AppName "Gakuseki"
#define AppNameJa "学籍"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{8E3C5F0A-2B1D-4C6E-9A7F-5D2E1B0C3A44}
AppName={#AppNameJa} {#AppName}
AppVersion={#AppVersion}
AppPublisher=Gakuseki
DefaultDirName={autopf}\Gakuseki
DefaultGroupName={#AppNameJa}
PrivilegesRequired=admin
ArchitecturesInstallIn64BitMode=x64compatible
OutputBaseFilename=gakuseki-setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\gakuseki.exe
; Staff-room PCs are shared: the app is installed for all users, the data is per machine.

[Languages]
Name: "japanese"; MessagesFile: "compiler:Languages\Japanese.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "..\..\dist\gakuseki\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Dirs]
; The school's store lives in the machine's application data folder. Only Administrators,
; SYSTEM and the staff group (created by the board's IT, default name "GakusekiStaff") may
; enter it; inheritance from ProgramData (which lets every user read) is removed below.
Name: "{commonappdata}\Gakuseki"

[Icons]
Name: "{group}\{#AppNameJa}"; Filename: "{app}\gakuseki.exe"; Parameters: "--store ""{commonappdata}\Gakuseki\store"""
Name: "{commondesktop}\{#AppNameJa}"; Filename: "{app}\gakuseki.exe"; Parameters: "--store ""{commonappdata}\Gakuseki\store"""; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; Flags: unchecked

[Run]
; Restrict the data folder: remove inherited ACEs, grant full control to Administrators and
; SYSTEM, modify to the staff group. (S-1-5-32-544 = Administrators, S-1-5-18 = SYSTEM)
Filename: "{sys}\icacls.exe"; Parameters: """{commonappdata}\Gakuseki"" /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F *S-1-5-18:(OI)(CI)F GakusekiStaff:(OI)(CI)M"; Flags: runhidden waituntilterminated
Filename: "{app}\gakuseki.exe"; Parameters: "doctor"; Flags: runhidden waituntilterminated
