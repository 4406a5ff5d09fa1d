import { Menu, shell, type MenuItemConstructorOptions } from 'electron';

/** The application menu: the platform's standard roles plus Help links to the docs. */
export function installMenu(openLogs: () => void): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        {
          label: 'Register an app in Microsoft Entra (docs)',
          click: () => void shell.openExternal('https://learn.microsoft.com/entra/identity-platform/quickstart-register-app'),
        },
        { label: 'Open the log folder', click: openLogs },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
