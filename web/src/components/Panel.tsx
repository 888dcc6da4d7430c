import {
  Button, DrawerBody, DrawerFooter, DrawerHeader, DrawerHeaderNavigation, DrawerHeaderTitle, OverlayDrawer,
} from '@fluentui/react-components';
import { ArrowLeftRegular, DismissRegular } from '@fluentui/react-icons';
import { useEffect, useRef, type ReactNode } from 'react';
import { useMediaQuery } from '../hooks';

/**
 * The flyout panel of Microsoft's admin center: opens from the right, full width on a phone.
 * A panel moving to another view (Edit, Back) keeps the drawer open and puts the focus on the new
 * title, so keyboard users stay inside it. A form's first field, marked data-autofocus, takes the
 * focus when the panel opens (the drawer alone would focus its Close button).
 */
export function Panel(props: {
  title: ReactNode;
  /** What screen readers call the panel; defaults to the title when it is text. */
  label?: string;
  onClose: () => void;
  onBack?: (() => void) | undefined;
  footer?: ReactNode;
  children: ReactNode;
  size?: 'medium' | 'large';
}) {
  const narrow = useMediaQuery('(max-width: 640px)');
  const heading = useRef<HTMLSpanElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const label = props.label ?? (typeof props.title === 'string' ? props.title : undefined);
  const first = useRef(true);
  useEffect(() => {
    const opening = first.current;
    first.current = false;
    // After the drawer's own focus handling on opening; a later view's title or first field.
    const timer = setTimeout(() => {
      const field = body.current?.querySelector<HTMLElement>('[data-autofocus]');
      if (field) field.focus();
      else if (!opening) heading.current?.focus();
    }, 0);
    return () => clearTimeout(timer);
  }, [label]);
  return (
    <OverlayDrawer
      open
      position="end"
      size={narrow ? 'full' : (props.size ?? 'medium')}
      onOpenChange={(_event, data) => { if (!data.open) props.onClose(); }}
      {...(label ? { 'aria-label': label } : {})}
    >
      <DrawerHeader>
        {props.onBack ? (
          <DrawerHeaderNavigation>
            <Button appearance="subtle" icon={<ArrowLeftRegular />} onClick={props.onBack}>Back</Button>
          </DrawerHeaderNavigation>
        ) : null}
        <DrawerHeaderTitle action={<Button appearance="subtle" aria-label="Close" icon={<DismissRegular />} onClick={props.onClose} />}>
          <span ref={heading} tabIndex={-1} className="panel-heading">{props.title}</span>
        </DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody className="panel-body"><div ref={body} className="stack">{props.children}</div></DrawerBody>
      {props.footer ? <DrawerFooter>{props.footer}</DrawerFooter> : null}
    </OverlayDrawer>
  );
}
