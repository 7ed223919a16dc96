//! Controlled vocabularies (IFRT-style firearm types and actions, statuses, origins).
//! Serialized in snake_case; adding a value is backwards compatible, renaming is not.
use serde::{Deserialize, Serialize};

macro_rules! vocab {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),* }
    };
}

vocab! {
    /// Firearm type, after the INTERPOL Firearms Reference Table.
    FirearmType {
        /// Handgun with a chamber integral to the barrel.
        Pistol,
        /// Handgun with a revolving cylinder.
        Revolver,
        /// Long gun with a rifled barrel.
        Rifle,
        /// Short rifle.
        Carbine,
        /// Automatic weapon firing pistol ammunition.
        SubmachineGun,
        /// Automatic weapon, belt or magazine fed.
        MachineGun,
        /// Smooth-bore long gun.
        Shotgun,
        /// Rifled and smooth-bore barrels combined.
        CombinationGun,
        /// Launcher for grenades.
        GrenadeLauncher,
        /// Launcher for less-lethal munitions.
        LessLethalLauncher,
        /// Anything else.
        Other,
    }
}

vocab! {
    /// Firearm action, after the INTERPOL Firearms Reference Table.
    FirearmAction {
        /// Fires one round per trigger pull, reloads itself.
        SemiAutomatic,
        /// Fires continuously while the trigger is held.
        Automatic,
        /// Selectable semi-automatic and automatic fire.
        SelectiveFire,
        /// Manually operated bolt.
        BoltAction,
        /// Manually operated lever.
        LeverAction,
        /// Manually operated slide (pump).
        PumpAction,
        /// Hinged barrel.
        BreakAction,
        /// Single shot, manually loaded.
        SingleShot,
        /// Revolver, single action.
        SingleAction,
        /// Revolver or pistol, double action.
        DoubleAction,
        /// Anything else.
        Other,
    }
}

vocab! {
    /// How a firearm came into the holding.
    Origin {
        /// Made by or for the holder.
        Manufactured,
        /// Imported from another state.
        Imported,
        /// From state stocks.
        StateStock,
        /// Seized or confiscated.
        Seized,
        /// Transferred in from another holder.
        TransferredIn,
        /// Collected (amnesty, surrender).
        Collected,
        /// Privately made.
        PrivatelyMade,
    }
}

vocab! {
    /// Life-cycle status of a firearm, part or equipment item (a projection of events).
    ItemStatus {
        /// In storage, available.
        InStore,
        /// Out on a shift checkout.
        Issued,
        /// On long-term assignment to a person.
        Assigned,
        /// Being moved between sites.
        InTransit,
        /// At the armorer or a repairer.
        UnderRepair,
        /// Held back pending inspection.
        Quarantined,
        /// Reported lost.
        Lost,
        /// Reported stolen.
        Stolen,
        /// Held as seized evidence.
        SeizedHeld,
        /// Declared surplus.
        Surplus,
        /// Deactivated.
        Deactivated,
        /// Destroyed.
        Destroyed,
        /// Left the holding.
        TransferredOut,
    }
}

vocab! {
    /// What a marking records (UN Firearms Protocol Art. 8).
    MarkingKind {
        /// Manufacturer, country or place, serial, year (Art. 8.1(a)).
        Manufacture,
        /// Importing country and year (Art. 8.1(b)).
        Import,
        /// Transfer from government stocks to civilian use (Art. 8.1(c)).
        StateToCivilian,
        /// Unit or property mark.
        UnitProperty,
        /// Proof house mark.
        Proof,
        /// Deactivation mark.
        Deactivation,
        /// Any other mark.
        Other,
    }
}

vocab! {
    /// Essential part type (UN Firearms Protocol Art. 3(b)).
    PartType {
        /// The frame or receiver (the identity anchor).
        FrameOrReceiver,
        /// Barrel.
        Barrel,
        /// Slide.
        Slide,
        /// Bolt or bolt carrier.
        Bolt,
        /// Cylinder.
        Cylinder,
        /// Breech block.
        BreechBlock,
        /// Suppressor.
        Suppressor,
        /// Another essential component.
        Other,
    }
}

vocab! {
    /// Category of an equipment item.
    EquipmentCategory {
        /// Magazine.
        Magazine,
        /// Body armour.
        BodyArmour,
        /// Radio.
        Radio,
        /// Conducted energy weapon.
        Taser,
        /// Handcuffs.
        Handcuffs,
        /// Baton.
        Baton,
        /// Holster.
        Holster,
        /// Body-worn camera.
        BodyCamera,
        /// Anything else.
        Other,
    }
}

vocab! {
    /// Ammunition type.
    AmmoType {
        /// Full metal jacket / ball.
        Ball,
        /// Jacketed hollow point.
        HollowPoint,
        /// Tracer.
        Tracer,
        /// Blank.
        Blank,
        /// Training / frangible.
        Training,
        /// Less-lethal munitions.
        LessLethal,
        /// Shotgun shot shells.
        Shot,
        /// Shotgun slugs.
        Slug,
        /// Anything else.
        Other,
    }
}

vocab! {
    /// Serviceability of an ammunition lot (IATG).
    LotStatus {
        /// Fit for issue.
        Serviceable,
        /// Suspended pending investigation.
        Suspended,
        /// Restricted use (e.g. training only).
        Restricted,
        /// Not fit for use.
        Unserviceable,
    }
}

vocab! {
    /// Kind of storage or passage location.
    LocationKind {
        /// Strong room.
        Vault,
        /// Rack within a vault.
        Rack,
        /// Safe or locker.
        Safe,
        /// Issue/return window.
        Window,
        /// Door with readers.
        Door,
        /// Room.
        Room,
        /// Vehicle.
        Vehicle,
        /// Anything else.
        Other,
    }
}

vocab! {
    /// Kind of RFID read point.
    ReadPointKind {
        /// Antenna at an issue/return window.
        Window,
        /// Inner antenna of a door.
        DoorInner,
        /// Outer antenna of a door.
        DoorOuter,
        /// Fixed antenna over a rack.
        Rack,
        /// Handheld reader.
        Handheld,
    }
}

vocab! {
    /// Employment status of a person on the roster.
    PersonStatus {
        /// On duty roster.
        Active,
        /// Suspended from duty.
        Suspended,
        /// On leave.
        OnLeave,
        /// No longer with the agency.
        Separated,
    }
}

vocab! {
    /// Why an ammunition stock quantity changed.
    AmmoMovement {
        /// Received from a supplier.
        Receipt,
        /// Issued to a person.
        Issue,
        /// Returned by a person.
        Return,
        /// Fired.
        Expended,
        /// Moved in from another location.
        TransferIn,
        /// Moved out to another location.
        TransferOut,
        /// Count adjustment after a discrepancy.
        Adjustment,
        /// Destroyed or demilitarised.
        Destroyed,
    }
}

vocab! {
    /// Condition of an item on return.
    Condition {
        /// Serviceable.
        Serviceable,
        /// Needs inspection.
        NeedsInspection,
        /// Damaged.
        Damaged,
    }
}
