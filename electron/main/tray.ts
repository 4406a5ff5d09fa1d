/// <reference types="electron-vite/node" />
/**
 * The system tray icon and its menu, drawn from {@link trayModel}. The icon carries a dot when the secret expires
 * soon (amber) or has expired / the scheduled sync failed (red).
 */
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import iconPath from '../../build/icon.png?asset';
import { paintBadge } from './tray-badge';
import { trayModel, type TrayBadge, type TrayInput, type TrayItemId, type TrayModel } from './tray-model';

export interface AppTray {
  update(input: TrayInput): void;
  destroy(): void;
}

/** Creates the tray icon; `onItem` runs the chosen menu item, `onClick` a click on the icon itself. */
export function createAppTray(onItem: (id: TrayItemId) => void, onClick: () => void): AppTray {
  // 16 pt at 2x on Windows and macOS; Linux tray hosts draw 22–24 px and scale anything else.
  const pixels = process.platform === 'linux' ? 24 : 32;
  const scaleFactor = process.platform === 'linux' ? 1 : 2;
  const base = nativeImage.createFromPath(iconPath).resize({ width: pixels, height: pixels, quality: 'best' });
  const icons = new Map<TrayBadge, NativeImage>();
  const iconFor = (badge: TrayBadge): NativeImage => {
    let icon = icons.get(badge);
    if (!icon) {
      const bitmap = paintBadge(base.toBitmap(), pixels, badge);
      icon = nativeImage.createFromBitmap(Buffer.from(bitmap), { width: pixels, height: pixels, scaleFactor });
      icons.set(badge, icon);
    }
    return icon;
  };

  const tray = new Tray(iconFor('none'));
  tray.on('click', onClick);
  let shown: TrayModel | undefined;

  return {
    update(input) {
      const model = trayModel(input);
      if (JSON.stringify(model) === JSON.stringify(shown)) return;
      if (model.badge !== shown?.badge) tray.setImage(iconFor(model.badge));
      tray.setToolTip(model.tooltip);
      const template: MenuItemConstructorOptions[] = model.items.map((item) =>
        item === null
          ? { type: 'separator' }
          : { id: item.id, label: item.label, enabled: item.enabled, click: () => onItem(item.id) },
      );
      tray.setContextMenu(Menu.buildFromTemplate(template));
      shown = model;
    },
    destroy: () => tray.destroy(),
  };
}
