# BootDesk's Windows installer (MSI): a trimmed runtime (jlink) and jpackage with WiX. Run on Windows from the
# repository root, with a JDK 22+ in JAVA_HOME and the WiX Toolset on PATH (WiX 3.x: candle/light; JDK 24+'s
# jpackage also takes WiX 4/5: `dotnet tool install --global wix`):
#   .\mvnw.cmd -B -DskipTests package
#   powershell -ExecutionPolicy Bypass -File installers\windows\build.ps1
# Output: target\installer\BootDesk-<version>.msi. Not built in CI (CI is Linux): see installers/README.md.
$ErrorActionPreference = "Stop"
$root = Resolve-Path "$PSScriptRoot\..\.."
Set-Location $root
$version = (Select-Xml -Path pom.xml -Namespace @{m = "http://maven.apache.org/POM/4.0.0"} -XPath "/m:project/m:version").Node.InnerText
$appVersion = $version -replace "-.*$", ""
$out = "target\installer"; $work = "$out\work"
Remove-Item -Recurse -Force $out -ErrorAction SilentlyContinue
New-Item -ItemType Directory -Force "$work\input\lib" | Out-Null
Copy-Item target\bootdesk.jar "$work\input\"
Copy-Item target\lib\*.jar "$work\input\lib\"
$modules = (Get-Content installers\modules.txt -Raw).Trim()
& "$env:JAVA_HOME\bin\jlink" --add-modules $modules --include-locales en --strip-debug --no-header-files `
  --no-man-pages --compress zip-6 --output "$work\runtime"
& "$env:JAVA_HOME\bin\jpackage" "@installers\common.args" "@installers\windows\jpackage.args" `
  --app-version $appVersion --input "$work\input" --runtime-image "$work\runtime" --dest $out
Remove-Item -Recurse -Force $work
Get-ChildItem $out
